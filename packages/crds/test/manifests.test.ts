// Loading the shipped manifests, and the checks that catch a manifest that is not the CRD the list names.
import { readFile } from 'node:fs/promises';
import {
  CRD_KINDS,
  CrdManifestError,
  crdKindsOf,
  loadCrdManifests,
  manifestUrl,
  parseCrdManifest,
} from '../src/index.js';

describe('loadCrdManifests', () => {
  it.each([
    ['ako', 'ako.vmware.com', 9],
    ['amko', 'amko.vmware.com', 4],
  ] as const)('%s: %s CRDs', async (group, apiGroup, count) => {
    const ms = await loadCrdManifests(group);
    expect(ms).toHaveLength(count);
    expect(new Set(ms.map((m) => m.spec.group))).toEqual(new Set([apiGroup]));
    expect(ms.map((m) => m.metadata?.name)).toEqual(crdKindsOf(group).map((k) => k.name));
  });

  test('all groups when no group is given', async () => {
    const ms = await loadCrdManifests();
    expect(ms.map((m) => m.metadata?.name)).toEqual(CRD_KINDS.map((k) => k.name));
    expect(new Set(ms.map((m) => m.metadata?.name)).size).toBe(ms.length);
  });

  test('versions that share a schema through a YAML anchor get separate copies', async () => {
    const [hostRules] = await loadCrdManifests('ako');
    const [a, b] = hostRules!.spec.versions;
    expect(a!.schema).toEqual(b!.schema);
    expect(a!.schema).not.toBe(b!.schema);
  });
});

describe('parseCrdManifest rejects a manifest that does not match its entry', () => {
  const hostRule = CRD_KINDS.find((k) => k.kind === 'HostRule')!;
  let text: string;
  beforeAll(async () => {
    text = await readFile(manifestUrl(hostRule), 'utf8');
  });

  it.each([
    ['broken YAML', () => 'spec: [', 'invalid YAML'],
    ['empty file', () => '', 'not an apiextensions.k8s.io/v1 CustomResourceDefinition'],
    ['old CRD API', () => text.replace('apiextensions.k8s.io/v1', 'apiextensions.k8s.io/v1beta1'), 'not an apiextensions'],
    ['other name', () => text.replace('name: hostrules.ako.vmware.com', 'name: x.ako.vmware.com'), 'metadata.name is x'],
    ['other kind', () => text.replace('kind: HostRule', 'kind: HostRules'), 'group/kind/plural'],
    ['other version order', () => text.replace('- name: v1beta1', '- name: v1'), 'versions v1,v1alpha1'],
  ])('%s', (_name, make, message) => {
    expect(() => parseCrdManifest(hostRule, make())).toThrow(CrdManifestError);
    expect(() => parseCrdManifest(hostRule, make())).toThrow(message);
  });

  test('the shipped text itself parses', () => {
    expect(parseCrdManifest(hostRule, text).metadata?.name).toBe('hostrules.ako.vmware.com');
  });
});
