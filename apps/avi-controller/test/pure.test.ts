// Table-driven tests of the pure parts: ref parsing, PATCH semantics, versions, CLI arguments, verbose names.

import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseRef } from '../src/objects/refs.js';
import { applyPatch, parsePatch } from '../src/objects/patch.js';
import { requestVersion, DEFAULT_API_VERSION } from '../src/version.js';
import { parseCliArgs, CliError } from '../src/cli-args.js';
import { verboseName } from '../src/objects/registry.js';
import { normalisePath } from '../src/http.js';
import { ipToInt, intToIp, networkRanges } from '../src/ipam.js';
import { existsAt, versionOf } from '../src/objects/versioned.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const load = <T>(name: string): T => JSON.parse(readFileSync(join(fixtures, name), 'utf8')) as T;

describe('parseRef', () => {
  test.each(load<Array<[string, unknown]>>('refs.json'))('%s', (input, expected) => {
    expect(parseRef(input) ?? null).toEqual(expected);
  });
});

describe('a field exists at an API version (swagger "Field introduced in ...")', () => {
  test.each(load<Array<{ name: string; since: string[] | null; at: string; exists: boolean }>>('version-exists.json'))('$name', (c) => {
    expect(existsAt(c.since ?? undefined, versionOf(c.at))).toBe(c.exists);
  });
});

describe('PATCH', () => {
  test.each(load<Array<{ name: string; stored: Record<string, unknown>; patch: unknown; expect: unknown }>>('patch.json'))('$name', (c) => {
    const { op, data } = parsePatch(c.patch);
    expect(applyPatch(c.stored, op, data)).toEqual(c.expect);
  });
  test.each([[{}], [{ add: {}, delete: {} }], [{ add: [] }], [[]], [null]])('%j is refused', (body) => {
    expect(() => parsePatch(body)).toThrow();
  });
});

describe('X-Avi-Version', () => {
  test.each([
    [undefined, DEFAULT_API_VERSION],
    ['', DEFAULT_API_VERSION],
    ['18.2.6', '18.2.6'],
    ['30.2.1', '30.2.1'],
    ['22.1', '22.1'],
  ])('%s -> %s', (h, v) => {
    expect(requestVersion(h, '30.2.1')).toBe(v);
  });
  test.each(['30.2.2', '31.1.1', 'x', '1.2.3.4.5'])('%s is refused with Invalid version', (h) => {
    expect(() => requestVersion(h, '30.2.1')).toThrow(/^Invalid version/);
  });
});

describe('CLI arguments', () => {
  test('serve with every option', () => {
    const cmd = parseCliArgs(['serve', '--listen', '127.0.0.1:9443', '--data-dir', '/tmp/x', '--seed', 's.yaml', '--admin-password-file', 'pw', '--cert', 'c', '--key', 'k', '--session-idle-timeout', '60']);
    expect(cmd).toEqual({
      kind: 'serve',
      options: { listen: '127.0.0.1:9443', dataDir: '/tmp/x', plainHttp: false, seedFile: 's.yaml', adminPasswordFile: 'pw', certFile: 'c', keyFile: 'k', log: 'stdout', sessionIdleTimeoutMs: 60000, processMetrics: true },
    });
  });
  test.each([
    [[], /missing command/],
    [['run'], /unknown command "run"/],
    [['serve', '--data-dir', 'd'], /--listen HOST:PORT is required/],
    [['serve', '--listen', 'nope', '--data-dir', 'd'], /--listen must be HOST:PORT/],
    [['serve', '--listen', ':1'], /--data-dir DIR is required/],
    [['serve', '--listen', ':1', '--data-dir', 'd', '--cert', 'c'], /--cert and --key must be given together/],
    [['serve', '--listen', ':1', '--data-dir', 'd', '--plain-http', '--cert', 'c', '--key', 'k'], /cannot be combined/],
    [['serve', '--listen', ':1', '--data-dir', 'd', '--bogus'], /Unknown option '--bogus'/],
    [['serve', '--listen', ':1', '--data-dir', 'd', '--session-idle-timeout', '0'], /positive number/],
  ])('%j', (argv, msg) => {
    expect(() => parseCliArgs(argv)).toThrow(CliError);
    expect(() => parseCliArgs(argv)).toThrow(msg);
  });
  test('help', () => {
    expect(parseCliArgs(['--help'])).toEqual({ kind: 'help' });
  });
});

describe('small helpers', () => {
  test.each([
    ['VrfContext', 'Vrf context'],
    ['HTTPPolicySet', 'Http policy set'],
    ['VsVip', 'Vs vip'],
    ['SSLKeyAndCertificate', 'Ssl key and certificate'],
    ['Pool', 'Pool'],
  ])('verboseName(%s) = %s', (m, v) => expect(verboseName(m)).toBe(v));
  test.each([
    ['//api/vsvip/', '/api/vsvip'],
    ['/api/vsvip/uuid/', '/api/vsvip/uuid'],
    ['/', '/'],
    ['///login', '/login'],
  ])('normalisePath(%s) = %s', (a, b) => expect(normalisePath(a)).toBe(b));
  test('ip conversions and ranges', () => {
    expect(intToIp(ipToInt('127.100.0.255')! + 1)).toBe('127.100.1.0');
    expect(ipToInt('256.0.0.1')).toBeUndefined();
    const net = { configured_subnets: [{ static_ip_ranges: [{ range: { begin: { addr: '127.0.0.2' }, end: { addr: '127.0.0.1' } } }, { type: 'STATIC_IPS_FOR_SE', range: { begin: { addr: '127.0.0.1' }, end: { addr: '127.0.0.9' } } }] }] };
    expect(networkRanges(net)).toEqual([]);
  });
});
