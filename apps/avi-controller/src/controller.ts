// startController: data dir, admin password, TLS material, identity, store (loaded from disk),
// first-start seeding, and the HTTP(S) server. Used by the CLI, by tests and by the other apps.

import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync, unlinkSync, accessSync, constants as fsConstants } from 'node:fs';
import { join, resolve } from 'node:path';
import { isIP } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { ApiError } from './http.js';
import type { Ctl, Identity } from './context.js';
import { Store, newTx, type Tx } from './store/store.js';
import { loadState, openJournal, writeFileAtomic, DataCorruptError } from './store/persist.js';
import { buildRegistry } from './objects/registry.js';
import { attachSdkMetadata } from './objects/sdk-meta.js';
import { createSessions, safeEqual } from './session.js';
import { createFaults } from './faults.js';
import { createIpam } from './ipam.js';
import { createDns, type DnsRecord } from './dns.js';
import { createMetrics } from './metrics.js';
import { createLogger } from './log.js';
import { createHandler } from './server.js';
import { applySeed, defaultSeed, readSeedFile, DEFAULT_VIP_NETWORK, DEFAULT_DNS_DOMAIN, type VipNetwork } from './seed.js';
import { loadOrCreateTls } from './tls.js';
import { createCA } from '@avi-k8s/pki';
import { verifyPassword } from './passwords.js';
import { startDataplane, type Dataplane } from './dataplane/dataplane.js';
import { attachAnalytics, createAnalytics } from './analytics/analytics.js';
import { startDnsServer, DnsListenError, type DnsServer } from './dns-server.js';
import { createResolver } from './dns-resolve.js';
import { startGslbHealth } from './gslb-health.js';

export const CONTROLLER_VERSION = '30.2.1';
export const CONTROLLER_BUILD = 9009;

export interface ControllerOptions {
  /** `HOST:PORT`; default `127.0.0.1:0` (a free port). */
  listen?: string;
  dataDir: string;
  plainHttp?: boolean;
  /** Seed file (JSON or YAML), applied at first start (empty data dir). */
  seedFile?: string;
  /** Admin password; else env AVI_ADMIN_PASSWORD, else `adminPasswordFile`, else stored/generated in the data dir. */
  adminPassword?: string;
  adminPasswordFile?: string;
  /** Serve this certificate/key instead of the generated ones. */
  certFile?: string;
  keyFile?: string;
  /** Request log: `stdout`, `silent` (default) or a file path. */
  log?: string;
  /** Session idle timeout (default 15 minutes, ControllerProperties.api_idle_timeout). */
  sessionIdleTimeoutMs?: number;
  /** Controller version reported and accepted as the newest X-Avi-Version (default 30.2.1). */
  version?: string;
  /** fdatasync each journal write (default true). */
  fsync?: boolean;
  /** VIP network of the default seed (default 127.100.0.0/24, range .10-.250). */
  vipNetwork?: VipNetwork;
  dnsDomain?: string;
  env?: NodeJS.ProcessEnv;
  /** Collect Node's default process metrics (default false for in-process use, true in the CLI). */
  processMetrics?: boolean;
  /** Carry traffic for the virtual services (listeners on their loopback VIPs, proxying to loopback servers). */
  dataplane?: boolean;
  /** CIDRs the data plane may dial besides loopback (TCP/HTTP pool servers only, e.g. a node's pod network). */
  dataplaneDialNetworks?: string[];
  /** Answer DNS (UDP, and TCP) on `HOST:PORT` for the names the controller holds. */
  dnsListen?: string;
}

export interface RunningController {
  /** `https://127.0.0.1:<port>` (or http with plainHttp). */
  readonly url: string;
  readonly port: number;
  /** PEM of the CA that signed the server certificate (undefined for plain HTTP or a given cert). */
  readonly caPem: string | undefined;
  readonly caPath: string | undefined;
  readonly adminPassword: string;
  /** True when the password was generated at this start (print it once). */
  readonly passwordGenerated: boolean;
  readonly dataDir: string;
  readonly clusterUuid: string;
  /** Read access for in-process peers (data plane, DNS server): stored objects, refs as `/api/<type>/<uuid>`. */
  readonly state: ControllerState;
  /** The data plane, when started with `dataplane: true`. */
  readonly dataplane: Dataplane | undefined;
  /** The DNS server, when started with `dnsListen`. */
  readonly dnsServer: DnsServer | undefined;
  close(): Promise<void>;
}

export interface ObjectChange {
  op: 'put' | 'del';
  type: string;
  uuid: string;
  /** The stored object after a put (do not mutate). */
  obj?: Readonly<Record<string, unknown>>;
}

export interface ControllerState {
  get(uuid: string): { type: string; obj: Readonly<Record<string, unknown>> } | undefined;
  list(type: string): Array<Readonly<Record<string, unknown>>>;
  dnsRecords(): DnsRecord[];
  lookupDns(fqdn: string): DnsRecord[];
  /** Called after each acknowledged (persisted) write; returns an unsubscribe function. */
  onChange(fn: (changes: ObjectChange[]) => void): () => void;
}

export class StartError extends Error {}

function parseListen(listen: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(listen);
  if (!m) throw new StartError(`--listen must be HOST:PORT, got "${listen}"`);
  const port = Number(m[3]);
  if (port > 65535) throw new StartError(`--listen port out of range: ${port}`);
  return { host: m[1] ?? (m[2] || '127.0.0.1'), port };
}

function adminPassword(opts: ControllerOptions, dataDir: string): { password: string; generated: boolean } {
  if (opts.adminPassword) return { password: opts.adminPassword, generated: false };
  const env = (opts.env ?? process.env).AVI_ADMIN_PASSWORD;
  if (env) return { password: env, generated: false };
  if (opts.adminPasswordFile) {
    let text: string;
    try {
      text = readFileSync(opts.adminPasswordFile, 'utf8').trim();
    } catch (e) {
      throw new StartError(`cannot read admin password file ${opts.adminPasswordFile}: ${(e as Error).message}`);
    }
    if (!text) throw new StartError(`admin password file ${opts.adminPasswordFile} is empty`);
    return { password: text, generated: false };
  }
  const stored = join(dataDir, 'admin-password');
  if (existsSync(stored)) return { password: readFileSync(stored, 'utf8').trim(), generated: false };
  const password = randomBytes(18).toString('base64url');
  writeFileAtomic(stored, password + '\n', 0o600);
  return { password, generated: true };
}

function loadIdentity(dataDir: string, host: string): Identity {
  const path = join(dataDir, 'identity.json');
  if (existsSync(path)) {
    try {
      const v = JSON.parse(readFileSync(path, 'utf8')) as Identity;
      if (typeof v.clusterUuid === 'string' && typeof v.upSince === 'string') return v;
    } catch {
      // fall through to the error below
    }
    throw new DataCorruptError(`data file ${path} is corrupted; refusing to start.`);
  }
  const now = new Date();
  const id: Identity = {
    clusterUuid: `cluster-${randomUUID()}`,
    clusterName: 'cluster-0-1',
    nodeName: isIP(host) && host !== '0.0.0.0' && host !== '::' ? host : '127.0.0.1',
    upSince: now.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ''),
  };
  writeFileAtomic(path, JSON.stringify(id, null, 2) + '\n');
  return id;
}

export async function startController(opts: ControllerOptions): Promise<RunningController> {
  const dataDir = resolve(opts.dataDir);
  const { host, port } = parseListen(opts.listen ?? '127.0.0.1:0');
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    accessSync(dataDir, fsConstants.W_OK);
  } catch (e) {
    throw new StartError(`data dir ${dataDir} is not usable: ${(e as Error).message}`);
  }
  const releaseLock = lockDataDir(dataDir);
  try {
    return await startLocked(opts, dataDir, host, port, releaseLock);
  } catch (e) {
    releaseLock();
    throw e;
  }
}

/** One controller per data dir: a lock file with the owner's pid (a stale one, of a dead process, is taken over). */
function lockDataDir(dataDir: string): () => void {
  const path = join(dataDir, 'lock');
  const token = `${process.pid} ${randomUUID()}`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, token, { flag: 'wx', mode: 0o600 });
      return () => {
        try {
          if (readFileSync(path, 'utf8') === token) unlinkSync(path);
        } catch {
          // already gone
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new StartError(`cannot lock data dir ${dataDir}: ${(e as Error).message}`);
      const owner = Number(readFileSync(path, 'utf8').split(' ')[0]);
      let alive = false;
      if (Number.isInteger(owner) && owner > 0) {
        try {
          process.kill(owner, 0);
          alive = true;
        } catch (err) {
          alive = (err as NodeJS.ErrnoException).code === 'EPERM';
        }
      }
      if (alive && owner === process.pid) {
        throw new StartError(`data dir ${dataDir} is already used by another controller in this process`);
      }
      if (alive) throw new StartError(`data dir ${dataDir} is in use by process ${owner} (${path})`);
      unlinkSync(path);
    }
  }
  throw new StartError(`cannot lock data dir ${dataDir}`);
}

async function startLocked(opts: ControllerOptions, dataDir: string, host: string, port: number, releaseLock: () => void): Promise<RunningController> {
  const version = opts.version ?? CONTROLLER_VERSION;
  const seedFile = opts.seedFile ? readSeedFile(opts.seedFile) : undefined;
  const pw = adminPassword(opts, dataDir);
  let tls: Awaited<ReturnType<typeof loadOrCreateTls>> | undefined;
  try {
    tls = opts.plainHttp ? undefined : await loadOrCreateTls(dataDir, host, opts.certFile, opts.keyFile);
  } catch (e) {
    throw new StartError((e as Error).message);
  }
  const identity = loadIdentity(dataDir, host);
  const log = createLogger(opts.log ?? 'silent');

  const registry = buildRegistry();
  attachSdkMetadata(registry);
  const store = new Store((t) => registry.get(t)?.cloudScoped ?? false);
  const ipam = createIpam();
  const dns = createDns();
  store.listen(ipam);
  store.listen(dns);

  const loaded = loadState(dataDir);
  let lastModified = 0;
  for (const rec of loaded.records) {
    store.apply(rec);
    if (rec.op === 'put') lastModified = Math.max(lastModified, Number(rec.obj._last_modified ?? 0));
  }
  if (loaded.tornTail) log.warn('dropped a torn last journal line (a write interrupted before it was acknowledged)');
  const journal = await openJournal(dataDir, { fsync: opts.fsync ?? true });
  if (loaded.records.length > 0) await journal.compact(store.all());

  // admin with the controller's password; other users created through /api/user with their own.
  const checkPassword = (u: string, p: string): boolean => {
    for (const e of store.named('user', u)) {
      if (e.obj.is_active === false) continue;
      // admin has the controller's password until it is changed through /api/useraccount.
      if (u === 'admin' && e.obj.password === undefined) return safeEqual(p, pw.password);
      if (verifyPassword(e.obj.password, p)) return true;
    }
    if (u === 'admin' && store.named('user', 'admin').length === 0) return safeEqual(p, pw.password);
    return false;
  };
  const sessions = createSessions(
    { check: checkPassword },
    {
      idleTimeoutMs: () => {
        if (opts.sessionIdleTimeoutMs !== undefined) return opts.sessionIdleTimeoutMs;
        for (const e of store.ofType('controllerproperties')) {
          const minutes = Number(e.obj.api_idle_timeout);
          if (Number.isFinite(minutes) && minutes > 0) return minutes * 60_000;
        }
        return 15 * 60_000;
      },
      forceTimeoutMs: 24 * 3600 * 1000,
    },
  );
  // Filled in once the data plane and the DNS server run (after the API server listens).
  const late: { dataplane?: Dataplane; dns?: DnsServer } = {};
  const metrics = createMetrics({
    objects: () => store.size,
    sessions: () => sessions.count,
    defaultMetrics: opts.processMetrics ?? false,
    ...(opts.dataplane
      ? {
          dataplane: () => {
            if (!late.dataplane) return undefined;
            const st = late.dataplane.status();
            const listeners: Record<string, number> = {};
            for (const l of st.listeners) listeners[l.state] = (listeners[l.state] ?? 0) + 1;
            return { listeners, blockedDials: st.blockedDials, failedDials: st.failedDials, requests: st.requests, connections: st.connections };
          },
        }
      : {}),
    ...(opts.dnsListen ? { dnsQueries: () => late.dns?.stats.queries } : {}),
  });

  const watchers = new Set<(changes: ObjectChange[]) => void>();
  const ctl: Ctl = {
    store,
    journal,
    registry,
    sessions,
    faults: createFaults(),
    ipam,
    dns,
    metrics,
    log,
    identity,
    version,
    build: CONTROLLER_BUILD,
    secureCookies: !opts.plainHttp,
    runtimeOverrides: new Map(),
    dataplane: undefined,
    gslbHealth: undefined,
    nextModified() {
      lastModified = Math.max(Date.now() * 1000, lastModified + 1);
      return String(lastModified);
    },
    async commit(tx: Tx) {
      try {
        await journal.append(tx.records);
      } catch (e) {
        store.rollback(tx);
        log.error('journal write failed', { error: (e as Error).message });
        throw new ApiError(500, `Could not persist the change: ${(e as Error).message}`);
      }
      if (watchers.size > 0 && tx.records.length > 0) {
        const changes: ObjectChange[] = tx.records.map((r) =>
          r.op === 'put'
            ? { op: 'put', type: r.type, uuid: r.obj.uuid as string, obj: r.obj }
            : { op: 'del', type: r.type ?? '', uuid: r.uuid },
        );
        for (const w of watchers) {
          try {
            w(changes);
          } catch (e) {
            log.error('change watcher failed', { error: (e as Error).message });
          }
        }
      }
      if (journal.length > 20000) await journal.compact(store.all());
    },
  };

  if (store.size === 0) {
    // Plain HTTP has no generated CA; the System-* certificates still need a real PEM.
    const seedCa = tls?.caPem ? undefined : await createCA('avi-controller System-Default-Root-CA');
    const tx = newTx();
    const objects = [
      ...(seedFile?.defaults === false ? [] : defaultSeed({
        clusterUuid: identity.clusterUuid,
        clusterName: identity.clusterName,
        nodeAddress: identity.nodeName,
        certPem: tls?.serverCertPem ?? seedCa!.certPem,
        caPem: tls?.caPem ?? seedCa!.certPem,
        vipNetwork: opts.vipNetwork ?? DEFAULT_VIP_NETWORK,
        dnsDomain: opts.dnsDomain ?? DEFAULT_DNS_DOMAIN,
      })),
      ...(seedFile?.objects ?? []),
    ];
    applySeed(ctl, tx, objects);
    await ctl.commit(tx);
  }

  const handler = createHandler(ctl, { scheme: tls ? 'https' : 'http', checkPassword });
  const onRequest = (req: Parameters<typeof handler>[0], res: Parameters<typeof handler>[1]) => void handler(req, res);
  const server: Server = tls ? createHttpsServer({ cert: tls.certPem, key: tls.keyPem }, onRequest) : createHttpServer(onRequest);
  server.keepAliveTimeout = 65_000;
  const sockets = new Set<Socket>();
  server.on(tls ? 'secureConnection' : 'connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', (e) => reject(new StartError(`cannot listen on ${host}:${port}: ${(e as Error).message}`)));
    server.listen(port, host, () => resolveListen());
  });
  const actualPort = (server.address() as AddressInfo).port;
  const urlHost = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '[::1]' : isIP(host) === 6 ? `[${host}]` : host;
  const url = `${tls ? 'https' : 'http'}://${urlHost}:${actualPort}`;
  const state: ControllerState = {
    get: (uuid) => {
      const e = store.get(uuid);
      return e ? { type: e.type, obj: e.obj } : undefined;
    },
    list: (type) => [...store.ofType(type)].map((e) => e.obj),
    dnsRecords: () => dns.records(),
    lookupDns: (fqdn) => dns.lookup(fqdn),
    onChange(fn) {
      watchers.add(fn);
      return () => watchers.delete(fn);
    },
  };
  const stopServer = () =>
    new Promise<void>((r) => {
      server.close(() => r());
      server.closeIdleConnections();
      setTimeout(() => {
        for (const s of sockets) s.destroy();
      }, 2000).unref();
    });
  let dnsServer: DnsServer | undefined;
  if (opts.dnsListen) {
    try {
      dnsServer = await startDnsServer(opts.dnsListen, createResolver(ctl), log);
    } catch (e) {
      await stopServer();
      await journal.close();
      throw e instanceof DnsListenError ? new StartError(e.message) : e;
    }
    log.info('avi-controller DNS', { listen: `${dnsServer.host}:${dnsServer.port}`, tcp: dnsServer.tcp });
  }
  const analytics = createAnalytics();
  const detachAnalytics = attachAnalytics(ctl, analytics, (fn) => state.onChange(fn));
  const dataplane = opts.dataplane ? startDataplane(state, log, analytics.recorder, opts.dataplaneDialNetworks) : undefined;
  ctl.dataplane = dataplane;
  if (dataplane) late.dataplane = dataplane;
  if (dnsServer) late.dns = dnsServer;
  // GSLB data-path monitors probe the member VIPs the data plane serves (so only with it).
  const gslbHealth = dataplane
    ? startGslbHealth(state, (addr) => dataplane.status().listeners.some((l) => l.state === 'listening' && l.key.split(':').slice(1, -1).join(':') === addr))
    : undefined;
  ctl.gslbHealth = gslbHealth;
  if (dataplane) await dataplane.settled();
  log.info('avi-controller ready', { url, dataDir, version });

  let closing: Promise<void> | undefined;
  return {
    url,
    port: actualPort,
    caPem: tls?.caPem,
    caPath: tls?.caPath,
    adminPassword: pw.password,
    passwordGenerated: pw.generated,
    dataDir,
    clusterUuid: identity.clusterUuid,
    state,
    dataplane,
    dnsServer,
    close() {
      closing ??= (async () => {
        gslbHealth?.close();
        await dataplane?.close();
        detachAnalytics();
        analytics.close();
        await dnsServer?.close();
        await stopServer();
        // A graceful stop leaves a fresh snapshot and an empty journal.
        await journal.compact(store.all());
        await journal.close();
        await log.close();
        releaseLock();
      })();
      return closing;
    },
  };
}
