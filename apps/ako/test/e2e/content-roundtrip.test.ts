// Every boot and every takeover compares the fields AKO owns in each object read from the controller with what it
// desires (operator/adopt.ts), so drift that kept the stored checksum is found. That comparison must hold for what
// the controller gives back of our own writes, or each restart would rewrite objects: for every parity corpus case
// (test/parity), our translation is written to a real avi-controller (seeded as in the corpus), read back as AKO
// reads its owned objects at boot, and must plan no write. And one changed field of ours is found. No Kubernetes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAviClient } from '@avi-k8s/avi-sdk';
import { AKO_TYPE_ORDER, execute, keyOf, plan, sdkSyncApi, type ObservedObject } from '@avi-k8s/avi-sync';
import { dnsDomainsSeed, startControllerProcess, writeSeedFile } from '@avi-k8s/testbed';
import { names, translate } from '../../src/index.js';
import { adoptUpToDate } from '../../src/operator/adopt.js';
import { loadOwned, ownedQueries } from '../../src/operator/owned.js';
import { caseConfig, caseObjects, caseSnapshot, PARITY_CASES, PARITY_DIR } from '../parity-case.js';

const seedFor = (c: string) => {
  const base = (JSON.parse(readFileSync(join(PARITY_DIR, c, 'controller-seed.json'), 'utf8')) as { objects: { type: string; data: Record<string, unknown> }[] }).objects;
  return writeSeedFile([dnsDomainsSeed(['par.test']), ...base]);
};

test.each(PARITY_CASES.map((c) => [c]))('%s: our objects read back from the controller plan no write; a changed field of ours is found', async (c) => {
  const ctl = await startControllerProcess({ args: ['--seed', seedFor(c)] });
  const client = createAviClient({ controller: ctl.url, username: ctl.username, password: ctl.password, caPem: ctl.caPem });
  try {
    const config = caseConfig(c);
    const { objects } = translate(caseSnapshot(caseObjects(c), c), config);
    const written = await execute(plan(objects, [], { typeOrder: AKO_TYPE_ORDER }), [], sdkSyncApi(client), { concurrency: 4 });
    const failed = written.results.filter((r) => r.status !== 'succeeded').map((r) => `${r.id}: ${r.error?.message ?? r.blockedBy}`);
    expect(failed).toEqual([]);

    const read: ObservedObject[] = [];
    await loadOwned(client, ownedQueries({ clusterName: config.clusterName, cloudName: config.cloudName, akoUser: names.akoUser(config) }), '*', (o) => read.push(o));
    expect(read.map(keyOf).sort()).toEqual(objects.map(keyOf).sort());
    const adopted = adoptUpToDate(objects, read);
    expect(plan(objects, adopted, { typeOrder: AKO_TYPE_ORDER }).ops.map((o) => o.id)).toEqual([]);

    // The same objects with one field of ours changed on the controller (checksum kept): exactly that one is rewritten.
    const target = read.find((o) => o.type === 'virtualservice' || o.type === 'pool');
    if (!target) return;
    const want = objects.find((o) => keyOf(o) === keyOf(target))!.body;
    const [field, value] = Object.entries(want).find(([k, v]) => k !== 'name' && !k.endsWith('cksum') && !k.endsWith('_ref') && ['string', 'boolean', 'number'].includes(typeof v))!;
    const other = typeof value === 'boolean' ? !value : typeof value === 'number' ? value + 1 : `${String(value)}-changed`;
    const changed = { ...target, body: { ...target.body, [field]: other } };
    const again = adoptUpToDate(objects, read.map((o) => (keyOf(o) === keyOf(target) ? changed : o)));
    expect(plan(objects, again, { typeOrder: AKO_TYPE_ORDER }).ops.map((o) => o.id)).toEqual([`update:${keyOf(target)}`]);
  } finally {
    await client.close();
    await ctl.stop();
  }
}, 60000);
