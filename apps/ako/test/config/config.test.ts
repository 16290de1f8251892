import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { configMapDataFromValues, valuesSchema } from '../../src/config/values.js';
import { ConfigError, parseSettings } from '../../src/config/settings.js';
import { credentialsFromSecret } from '../../src/config/credentials.js';
import { translateConfig } from '../../src/operator/translate-config.js';
import { validateConfig, type AkoConfig } from '../../src/translate/index.js';

const fixtures = new URL('./fixtures/', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, fixtures), 'utf8');

describe('values.yaml -> ConfigMap avi-k8s-config', () => {
  const cases = readdirSync(new URL('values/', fixtures));
  it.each(cases)('%s', (name) => {
    const values = valuesSchema.parse(parse(read(`values/${name}/values.yaml`)));
    expect(configMapDataFromValues(values)).toEqual(JSON.parse(read(`values/${name}/configmap.json`)));
  });

  it('rejects a bad value and names the key', () => {
    const result = valuesSchema.safeParse({ L7Settings: { shardVSSize: 'HUGE' } });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['L7Settings', 'shardVSSize']);
  });
});

describe('settings from ConfigMap data and env', () => {
  const cases = JSON.parse(read('settings/cases.json')) as {
    name: string;
    data: Record<string, string>;
    env?: Record<string, string>;
    expect?: Record<string, unknown>;
    errors?: string[];
  }[];
  it.each(cases)('$name', (c) => {
    if (c.errors) {
      let error: unknown;
      try {
        parseSettings(c.data, c.env);
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect([...(error as ConfigError).problems].sort()).toEqual([...c.errors].sort());
    } else {
      expect(parseSettings(c.data, c.env)).toMatchObject(c.expect!);
    }
  });

  it('every default values.yaml renders a ConfigMap that parses', () => {
    const data = configMapDataFromValues(valuesSchema.parse({ AKOSettings: { clusterName: 'x' }, ControllerSettings: { controllerHost: 'h' } }));
    expect(parseSettings(data)).toMatchObject({ clusterName: 'x', controllerHost: 'h' });
  });
});

describe('credentials from Secret avi-secret', () => {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  it.each([
    ['password', { username: b64('admin'), password: b64('pw') }, { username: 'admin', password: 'pw' }],
    ['token', { username: b64('admin'), authtoken: b64('tok') }, { username: 'admin', authToken: 'tok' }],
    [
      'with CA',
      { username: b64('admin'), password: b64('pw'), certificateAuthorityData: b64('-----BEGIN CERTIFICATE-----\nMII\n-----END CERTIFICATE-----\n') },
      { username: 'admin', password: 'pw', caPem: '-----BEGIN CERTIFICATE-----\nMII\n-----END CERTIFICATE-----' },
    ],
  ])('%s', (_n, data, expected) => {
    expect(credentialsFromSecret('avi-system/avi-secret', data)).toEqual(expected);
  });

  it.each([
    [{}, "Secret avi-system/avi-secret: key 'username' is missing or empty; one of the keys 'password' or 'authtoken' is required"],
    [{ username: b64('a') }, "Secret avi-system/avi-secret: one of the keys 'password' or 'authtoken' is required"],
    [{ username: b64('a'), password: b64('p'), certificateAuthorityData: b64('nope') }, "Secret avi-system/avi-secret: key 'certificateAuthorityData' is not a PEM certificate"],
  ])('rejects %j', (data, message) => {
    expect(() => credentialsFromSecret('avi-system/avi-secret', data)).toThrow(message);
  });

  it('never puts a secret value in its error', () => {
    const b = b64('supersecret');
    expect(() => credentialsFromSecret('ns/s', { password: b })).toThrow(expect.objectContaining({ message: expect.not.stringContaining('supersecret') }));
  });
});

describe('ConfigMap data -> the AkoConfig translate() gets', () => {
  const { cases } = parse(read('translate-config.yaml')) as { cases: { description: string; data: Record<string, string>; expect: Partial<AkoConfig> }[] };
  const facts = { dnsDomains: ['avi.internal'], licenseTier: 'ENTERPRISE', vrfName: 'global', clusterUuid: 'cluster-1' };
  it.each(cases.map((c) => [c.description, c] as const))('%s', (_d, c) => {
    const config = translateConfig(parseSettings({ controllerIP: 'ctrl', ...c.data }), facts, 'avi-system');
    expect(config).toMatchObject(c.expect);
    expect(validateConfig(config)).toEqual([]);
    expect(config).toMatchObject({ dnsDomains: ['avi.internal'], akoNamespace: 'avi-system', vrfName: 'global' });
  });
});
