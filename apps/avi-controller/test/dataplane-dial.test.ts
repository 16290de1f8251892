// --dataplane-dial: the networks the data plane may dial besides loopback (a kube-local node's pod network), and
// nothing else. Hand-written cases.
import { dialGuard, parseDialNetworks } from '../src/dataplane/balance.js';
import { parseCliArgs } from '../src/cli-args.js';

describe('dial guard', () => {
  const guard = dialGuard(parseDialNetworks(['10.88.0.0/16', 'fd00:88::/64']));
  test.each([
    ['127.0.0.1', true],
    ['127.100.0.7', true],
    ['::1', true],
    ['10.88.0.11', true],
    ['10.88.255.254', true],
    ['::ffff:10.88.1.2', true],
    ['fd00:88::5', true],
    ['10.89.0.1', false],
    ['10.87.255.255', false],
    ['192.0.2.2', false],
    ['8.8.8.8', false],
    ['fd00:89::5', false],
    ['not-an-ip', false],
  ])('%s may be dialled: %j', (addr, want) => {
    expect(guard(addr)).toBe(want);
  });

  test('without networks only loopback is dialled', () => {
    const loopbackOnly = dialGuard();
    expect(['127.0.0.1', '10.88.0.11', '192.168.1.1'].map(loopbackOnly)).toEqual([true, false, false]);
  });

  test.each([['10.88.0.0'], ['10.88.0.0/33'], ['fd00::/129'], ['host/8'], ['']])('%j is not a CIDR', (cidr) => {
    expect(() => parseDialNetworks([cidr])).toThrow(/not a CIDR/);
  });
});

describe('--dataplane-dial', () => {
  const base = ['serve', '--listen', '127.0.0.1:0', '--data-dir', '/tmp/x'];
  test('gives the networks to the data plane', () => {
    const cmd = parseCliArgs([...base, '--dataplane', '--dataplane-dial', '10.88.0.0/16,10.89.0.0/24']);
    expect(cmd.kind === 'serve' && cmd.options.dataplaneDialNetworks).toEqual(['10.88.0.0/16', '10.89.0.0/24']);
  });
  test('needs --dataplane', () => {
    expect(() => parseCliArgs([...base, '--dataplane-dial', '10.88.0.0/16'])).toThrow('--dataplane-dial needs --dataplane');
  });
  test('refuses a bad CIDR with the value', () => {
    expect(() => parseCliArgs([...base, '--dataplane', '--dataplane-dial', '10.88.0.0'])).toThrow('--dataplane-dial: not a CIDR (address/prefix): "10.88.0.0"');
  });
});
