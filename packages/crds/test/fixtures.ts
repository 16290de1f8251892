// Loads the sample CRs under test/fixtures/{valid,invalid}. An invalid fixture names the field that makes it
// invalid in a first-line comment `# error-path: <path>` (written as the apiserver writes paths).
import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';

export interface Fixture {
  file: string;
  doc: Record<string, unknown> & { apiVersion: string; kind: string; metadata: { name: string } };
  errorPath?: string;
}

function load(kind: 'valid' | 'invalid'): Fixture[] {
  const dir = new URL(`./fixtures/${kind}/`, import.meta.url);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((file) => {
      const text = readFileSync(new URL(file, dir), 'utf8');
      const errorPath = /^# error-path: (\S+)/m.exec(text)?.[1];
      if (kind === 'invalid' && !errorPath) throw new Error(`fixture ${file} has no "# error-path:" line`);
      return { file, doc: parse(text) as Fixture['doc'], errorPath };
    });
}

export const validFixtures = load('valid');
export const invalidFixtures = load('invalid');
