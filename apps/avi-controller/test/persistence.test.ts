// Durability: a restart loses nothing acknowledged (objects, IPAM, identity, password); corruption is
// reported with a clear error and the data is left untouched; a torn last journal line is dropped.

import { appendFileSync, cpSync, readFileSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DataCorruptError, StartError } from '../src/index.js';
import { login, raw, removeDir, start, tempDir } from './helpers.js';

test('objects, allocations, cluster identity and CA survive a restart', async () => {
  const dir = tempDir();
  try {
    const first = await start({ dataDir: dir, adminPassword: undefined, env: {} });
    expect(first.passwordGenerated).toBe(true);
    expect(statSync(join(dir, 'admin-password')).mode & 0o777).toBe(0o600);
    const c = await login(first);
    const vip = (await c.post('/api/vsvip', { name: 'keep-vip', vip: [{ auto_allocate_ip: true }] })).json;
    const pool = (await c.post('/api/pool', { name: 'keep-pool', servers: [{ ip: { addr: '127.0.0.7', type: 'V4' } }] })).json;
    await c.patch(`/api/pool/${pool.uuid as string}`, { add: { servers: [{ ip: { addr: '127.0.0.8', type: 'V4' } }] } });
    const gone = (await c.post('/api/pool', { name: 'gone-pool' })).json;
    await c.del(`/api/pool/${gone.uuid as string}`);
    const { clusterUuid, caPem, adminPassword } = first;
    // A copy taken while running, as after a crash: the journal holds the acknowledged writes.
    const crashed = tempDir();
    cpSync(dir, crashed, { recursive: true });
    // the lock of a crashed process names a dead pid, which a new start takes over
    writeFileSync(join(crashed, 'lock'), '999999999 crashed');
    expect(readFileSync(join(crashed, 'objects.journal'), 'utf8')).toContain('keep-pool');
    await first.close();
    const fromCrash = await start({ dataDir: crashed });
    const cc = await login(fromCrash);
    expect((await cc.get(`/api/pool/${pool.uuid as string}`)).json.servers).toHaveLength(2);
    expect((await cc.get('/api/pool?name=gone-pool')).json.count).toBe(0);
    await fromCrash.close();
    removeDir(crashed);

    const second = await start({ dataDir: dir, adminPassword: undefined, env: {} });
    expect(second.passwordGenerated).toBe(false);
    expect(second.adminPassword).toBe(adminPassword);
    expect(second.clusterUuid).toBe(clusterUuid);
    expect(second.caPem).toBe(caPem);
    const c2 = await login(second);
    const p = await c2.get(`/api/pool/${pool.uuid as string}`);
    expect(p.json.servers).toHaveLength(2);
    expect((await c2.get('/api/pool?name=gone-pool')).json.count).toBe(0);
    expect((await c2.get(`/api/vsvip/${vip.uuid as string}`)).json.vip[0].ip_address.addr).toBe(vip.vip[0].ip_address.addr);
    // the restored allocation is still taken
    const next = (await c2.post('/api/vsvip', { name: 'next-vip', vip: [{ auto_allocate_ip: true }] })).json;
    expect(next.vip[0].ip_address.addr).not.toBe(vip.vip[0].ip_address.addr);
    // system objects were not seeded twice
    expect((await c2.get('/api/cloud?name=Default-Cloud')).json.count).toBe(1);
    await second.close();
  } finally {
    removeDir(dir);
  }
});

test('a corrupted snapshot is reported and left as it was', async () => {
  const dir = tempDir();
  try {
    const ctl = await start({ dataDir: dir });
    await ctl.close();
    const snap = join(dir, 'objects.snapshot.json');
    expect(existsSync(snap)).toBe(true);
    writeFileSync(snap, '{"version":1,"objects":[{"type":"pool"');
    await expect(start({ dataDir: dir })).rejects.toThrow(DataCorruptError);
    await expect(start({ dataDir: dir })).rejects.toThrow(/objects\.snapshot\.json is corrupted .*refusing to start/);
    expect(readFileSync(snap, 'utf8')).toBe('{"version":1,"objects":[{"type":"pool"');
  } finally {
    removeDir(dir);
  }
});

test('a corrupted journal line is reported with its line number; a torn last line is dropped', async () => {
  const dir = tempDir();
  try {
    const ctl = await start({ dataDir: dir });
    const c = await login(ctl);
    await c.post('/api/pool', { name: 'j-1' });
    await ctl.close();
    const journal = join(dir, 'objects.journal');

    // a write cut short by a crash (no newline): never acknowledged, dropped at start
    appendFileSync(journal, '{"op":"put","type":"pool","obj":{"uu');
    const again = await start({ dataDir: dir });
    const c2 = await login(again);
    expect((await c2.get('/api/pool?name=j-1')).json.count).toBe(1);
    await c2.post('/api/pool', { name: 'j-2' });
    await again.close();

    writeFileSync(journal, 'garbage\n' + readFileSync(journal, 'utf8'));
    await expect(start({ dataDir: dir })).rejects.toThrow(/objects\.journal is corrupted at line 1/);
  } finally {
    removeDir(dir);
  }
});

test('plain HTTP serves the same API with cookies that are not Secure', async () => {
  const ctl = await start({ plainHttp: true });
  try {
    expect(ctl.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(ctl.caPem).toBeUndefined();
    const res = await raw(ctl, 'POST', '/login', { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: ctl.adminPassword }) });
    expect(res.status).toBe(200);
    expect((res.headers['set-cookie'] ?? []).some((s) => s.includes('Secure'))).toBe(false);
    const c = await login(ctl);
    expect((await c.get('/api/sslkeyandcertificate?name=System-Default-Cert')).json.count).toBe(1);
  } finally {
    await ctl.close();
    removeDir(ctl.dataDir);
  }
});

test('one controller per data dir; the lock is released on close', async () => {
  const dir = tempDir();
  try {
    const a = await start({ dataDir: dir });
    await expect(start({ dataDir: dir })).rejects.toThrow(/already used by another controller/);
    await a.close();
    const b = await start({ dataDir: dir });
    await b.close();
  } finally {
    removeDir(dir);
  }
});

test('bad start options are clear errors', async () => {
  const dir = tempDir();
  try {
    await expect(start({ dataDir: dir, listen: 'nonsense' })).rejects.toThrow(StartError);
    await expect(start({ dataDir: dir, adminPassword: undefined, adminPasswordFile: join(dir, 'missing'), env: {} })).rejects.toThrow(/cannot read admin password file/);
    await expect(start({ dataDir: dir, seedFile: join(dir, 'missing.yaml') })).rejects.toThrow(/cannot read seed file/);
    writeFileSync(join(dir, 'bad.yaml'), 'objects:\n  - type: pool\n');
    await expect(start({ dataDir: dir, seedFile: join(dir, 'bad.yaml') })).rejects.toThrow(/objects\[0\] must be/);
  } finally {
    removeDir(dir);
  }
});
