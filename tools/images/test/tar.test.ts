// Our tar writer read back by GNU tar (the real peer): names over 100 bytes (pax), symlinks, directories, modes,
// owners and the fixed mtime come out as written; the same entries always give the same bytes.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tarArchive, withParentsSorted, type TarEntry } from '../src/tar.js';

const longName = `a/${'deep-directory-name/'.repeat(8)}file-with-a-long-name.txt`;
const entries: TarEntry[] = withParentsSorted([
  { type: 'file', path: 'etc/passwd', data: Buffer.from('root:x:0:0::/root:/sbin/nologin\n') },
  { type: 'file', path: 'usr/local/bin/tool', data: Buffer.from('#!binary'), mode: 0o755 },
  { type: 'file', path: longName, data: Buffer.from('long'), uid: 65532, gid: 65532 },
  { type: 'symlink', path: 'lib64/loader', target: '/lib/x86_64-linux-gnu/loader' },
  { type: 'dir', path: 'tmp', mode: 0o1777 },
  { type: 'file', path: 'empty', data: Buffer.alloc(0) },
]);
const MTIME = 1700000000;

test('GNU tar lists every entry with its type, mode, owner and the fixed mtime', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tar-test-'));
  const file = join(dir, 'x.tar');
  writeFileSync(file, tarArchive(entries, MTIME));
  const listing = execFileSync('tar', ['--numeric-owner', '--full-time', '-tvf', file], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } }).trim().split('\n');
  const byName = new Map(listing.map((l) => [l.split(/\s+/).slice(5).join(' '), l]));
  expect(byName.get('etc/passwd')).toMatch(/^-rw-r--r-- 0\/0\s+32 2023-11-14 22:13:20 etc\/passwd$/);
  expect(byName.get('usr/local/bin/tool')).toMatch(/^-rwxr-xr-x 0\/0\s+8 /);
  expect(byName.get(longName)).toMatch(/^-rw-r--r-- 65532\/65532\s+4 /);
  expect(byName.get('lib64/loader -> /lib/x86_64-linux-gnu/loader')).toMatch(/^lrwxrwxrwx 0\/0\s+0 /);
  expect(byName.get('tmp/')).toMatch(/^drwxrwxrwt 0\/0\s+0 /);
  expect(byName.get('usr/local/')).toMatch(/^drwxr-xr-x 0\/0/); // a parent directory made by withParentsSorted
  expect(listing).toHaveLength(entries.length);
});

test('GNU tar extracts the contents, the long name and the symlink', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tar-test-'));
  writeFileSync(join(dir, 'x.tar'), tarArchive(entries, MTIME));
  execFileSync('tar', ['-xf', 'x.tar'], { cwd: dir });
  expect(readFileSync(join(dir, longName), 'utf8')).toBe('long');
  expect(readlinkSync(join(dir, 'lib64/loader'))).toBe('/lib/x86_64-linux-gnu/loader');
  expect(statSync(join(dir, 'usr/local/bin/tool')).mode & 0o777).toBe(0o755);
  expect(statSync(join(dir, 'etc/passwd')).mtimeMs).toBe(MTIME * 1000);
});

test('the same entries give the same bytes, in any input order', () => {
  const shuffled = withParentsSorted([...entries].reverse());
  expect(tarArchive(shuffled, MTIME).equals(tarArchive(entries, MTIME))).toBe(true);
});
