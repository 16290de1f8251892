// The generated models: strict inputs, permissive outputs, and the metadata the controller relies on.
import { OBJECT_SCHEMAS, OBJECT_TYPES, DEFINITIONS, PoolInputSchema, PoolSchema, VirtualServiceInputSchema } from '../src/models-api.js';

describe('generated zod models', () => {
  test('a valid pool input parses', () => {
    const pool = {
      name: 'p1',
      lb_algorithm: 'LB_ALGORITHM_ROUND_ROBIN',
      servers: [{ ip: { addr: '10.0.0.1', type: 'V4' }, port: 8080 }],
      health_monitor_refs: ['/api/healthmonitor?name=System-TCP'],
    };
    expect(PoolInputSchema.parse(pool)).toEqual(pool);
  });

  test.each([
    ['unknown top-level field', { name: 'p1', lb_algoritm: 'X' }],
    ['unknown nested field', { name: 'p1', servers: [{ ip: { addr: '10.0.0.1', type: 'V4', mask: 1 } }] }],
    ['bad enum value', { name: 'p1', lb_algorithm: 'LB_ALGORITHM_NOPE' }],
    ['missing required name', { lb_algorithm: 'LB_ALGORITHM_ROUND_ROBIN' }],
    ['wrong type', { name: 'p1', default_server_port: '80' }],
  ])('input rejects %s', (_name, body) => {
    expect(PoolInputSchema.safeParse(body).success).toBe(false);
  });

  test('output keeps undeclared fields and accepts unknown enum values', () => {
    const out = PoolSchema.parse({ name: 'p1', server_count: 3, lb_algorithm: 'LB_ALGORITHM_FROM_THE_FUTURE' });
    expect(out).toEqual({ name: 'p1', server_count: 3, lb_algorithm: 'LB_ALGORITHM_FROM_THE_FUTURE' });
  });

  test('a controller-filled required field (Vip.vip_id) is optional on input', () => {
    const vs = { name: 'vs', vip: [{ ip_address: { addr: '1.1.1.1', type: 'V4' } }] };
    expect(VirtualServiceInputSchema.safeParse(vs).success).toBe(true);
  });

  test('every object type with a path has schemas', () => {
    for (const meta of Object.values(OBJECT_TYPES)) {
      if (meta.path) expect(OBJECT_SCHEMAS).toHaveProperty(meta.path);
    }
    expect(Object.keys(OBJECT_SCHEMAS).length).toBeGreaterThanOrEqual(29);
  });
});

describe('generated metadata', () => {
  test('VirtualService: path and reference fields', () => {
    const vs = OBJECT_TYPES.VirtualService!;
    expect(vs.path).toBe('virtualservice');
    expect(vs.singleton).toBe(false);
    const refs = Object.fromEntries(vs.refs.map((r) => [r.path, r.targetPath]));
    expect(refs).toMatchObject({
      pool_group_ref: 'poolgroup',
      vsvip_ref: 'vsvip',
      'http_policies[].http_policy_set_ref': 'httppolicyset',
      'services[].override_network_profile_ref': 'networkprofile',
      'vs_datascripts[].vs_datascript_set_ref': 'vsdatascriptset',
      'ssl_key_and_certificate_refs[]': 'sslkeyandcertificate',
    });
  });

  test('singletons: cluster, systemconfiguration, controllerproperties', () => {
    const singletons = Object.values(OBJECT_TYPES)
      .filter((t) => t.singleton)
      .map((t) => t.path)
      .sort();
    expect(singletons).toEqual(['cluster', 'controllerproperties', 'systemconfiguration']);
  });

  test('field defaults and enums come from the swagger', () => {
    expect(DEFINITIONS.Pool!.fields.lb_algorithm).toMatchObject({
      type: 'string',
      default: 'LB_ALGORITHM_LEAST_CONNECTIONS',
    });
    expect(DEFINITIONS.Server!.fields.ratio!.default).toBe(1);
    expect(DEFINITIONS.IpAddr!.fields.type!.enum).toEqual(['V4', 'DNS', 'V6']);
    expect(DEFINITIONS.Pool!.fields.servers).toMatchObject({ type: 'array', items: 'object', def: 'Server' });
  });
});
