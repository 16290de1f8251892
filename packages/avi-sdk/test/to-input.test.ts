import { toInput } from '../src/models-api.js';

describe('toInput', () => {
  test('drops undeclared response fields and keeps declared ones, including read-only ones', () => {
    const fromController = {
      uuid: 'pool-1',
      url: 'https://c/api/pool/pool-1',
      _last_modified: '1595317883531860',
      name: 'p',
      server_count: 2,
      servers: [{ ip: { addr: '1.1.1.1', type: 'V4' }, hostname: '1.1.1.1', extra_runtime: 1 }],
    };
    expect(toInput('pool', fromController)).toEqual({
      uuid: 'pool-1',
      url: 'https://c/api/pool/pool-1',
      _last_modified: '1595317883531860',
      name: 'p',
      servers: [{ ip: { addr: '1.1.1.1', type: 'V4' }, hostname: '1.1.1.1' }],
    });
  });

  test('a value the input model refuses is a clear error', () => {
    expect(() => toInput('pool', { name: 'p', lb_algorithm: 'LB_ALGORITHM_FROM_THE_FUTURE' })).toThrow(
      /pool object does not fit the input model: lb_algorithm: /,
    );
    expect(() => toInput('nope' as never, {})).toThrow('unknown Avi object type "nope"');
  });
});
