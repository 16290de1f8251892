// The data plane: holds the listeners the plan asks for (opened, kept or closed after every acknowledged write,
// no restart), routes each request or connection with the configuration current at that moment, and reports
// bind failures and unreachable servers to the runtime views. Never dials or binds a non-loopback address.

import type { Server, Socket } from 'node:net';
import { createSecureContext, type SecureContext, type Server as TlsServer } from 'node:tls';
import type { ControllerState } from '../controller.js';
import { dialGuard, isLoopback, parseDialNetworks } from './balance.js';
import { createHttpListener } from './http-proxy.js';
import { createTcpListener, createUdpListener, type UdpListener } from './l4-proxy.js';
import { planListeners, type ListenerSpec } from './plan.js';
import { deref, domainMatches, sniChild, type Lookup, type Obj } from './routing.js';
import { createUpstreams } from './upstream.js';
import { createDatascriptEngine } from './datascript.js';
import type { TrafficRecorder } from '../analytics/recorder.js';

export interface DataplaneLog {
  info(msg: string, meta?: Record<string, unknown>): void;
  warn(msg: string, meta?: Record<string, unknown>): void;
}

export interface ListenerStatus {
  readonly key: string;
  readonly vs: string;
  readonly mode: 'http' | 'l4';
  readonly tls: boolean;
  readonly state: 'listening' | 'starting' | 'failed';
  readonly error?: string;
}

export interface DataplaneStatus {
  readonly listeners: ListenerStatus[];
  readonly blockedDials: number;
  readonly dials: number;
  readonly failedDials: number;
  readonly requests: number;
  readonly connections: number;
  /** Datascript runs, runs that failed (500 for that request), distinct scripts compiled. */
  readonly datascripts: { readonly runs: number; readonly errors: number; readonly compiled: number };
}

export interface Dataplane {
  /** Listener problems of a VS (bind failures, non-loopback VIPs, port clashes); empty when it is served. */
  vsIssues(vsUuid: string): string[];
  /** Why a pool server is down for the data plane, undefined when up or not tried yet. */
  serverDown(ip: string, port: number): string | undefined;
  status(): DataplaneStatus;
  /** Resolves once the listeners match the configuration (after pending changes). */
  settled(): Promise<void>;
  /** Re-dials the servers that are down now (also done every `RECHECK_MS`); those that answer rejoin the rotation. */
  recheckServers(): Promise<void>;
  close(): Promise<void>;
}

interface Held {
  spec: ListenerSpec;
  state: 'listening' | 'starting' | 'failed';
  error?: string;
  server?: Server;
  udp?: UdpListener;
  sockets: Set<Socket>;
  /** Id of the certificate served to clients without SNI. */
  defaultCert?: string;
}

const signature = (s: ListenerSpec): string => `${s.key}|${s.vsUuid}|${s.mode}|${s.tls}`;

/**
 * `traffic`, when given, is told about every connection, request and response (analytics). `dialNetworks`: CIDRs
 * whose addresses TCP/HTTP pool servers may have besides loopback (e.g. a kube-local node's pod network).
 */
export function startDataplane(state: ControllerState, log: DataplaneLog, traffic?: TrafficRecorder, dialNetworks: readonly string[] = []): Dataplane {
  const lookup: Lookup = (uuid) => state.get(uuid)?.obj;
  const upstreams = createUpstreams(lookup, dialGuard(dialNetworks.length ? parseDialNetworks(dialNetworks) : undefined));
  const httpStats = { requests: 0, responses5xx: 0 };
  const scripts = createDatascriptEngine();
  const l4Stats = { connections: 0, refused: 0 };
  const held = new Map<string, Held>();
  let issues = new Map<string, string[]>();
  const contexts = new Map<string, SecureContext>();
  let closed = false;

  const children = (): Obj[] => state.list('virtualservice').filter((v) => v.type === 'VS_TYPE_VH_CHILD');

  /**
   * The usable certificate of a VS (PEM, key and an id that changes with the object): the first one whose names
   * (SANs, else common name) match `serverName` (an EVH parent holds its children's), else its first.
   */
  function certOf(vs: Obj | undefined, serverName?: string): { id: string; cert: string; key: string; passphrase?: string } | undefined {
    if (!vs) return undefined;
    const usable = (Array.isArray(vs.ssl_key_and_certificate_refs) ? vs.ssl_key_and_certificate_refs : []).map((ref) => deref(lookup, ref)).filter((cert) => {
      const pem = (cert?.certificate as Obj | undefined)?.certificate;
      return cert && typeof pem === 'string' && typeof cert.key === 'string' && cert.key !== '';
    });
    const namesOf = (cert: Obj | undefined): string[] => {
      const c = cert?.certificate as Obj | undefined;
      const sans = Array.isArray(c?.subject_alt_names) ? (c.subject_alt_names as unknown[]).filter((x): x is string => typeof x === 'string') : [];
      const cn = (c?.subject as Obj | undefined)?.common_name;
      return sans.length > 0 ? sans : typeof cn === 'string' ? [cn] : [];
    };
    const cert = (serverName ? usable.find((x) => domainMatches(namesOf(x), serverName)) : undefined) ?? usable[0];
    if (!cert) return undefined;
    return {
      id: `${String(cert.uuid)}@${String(cert._last_modified)}`,
      cert: (cert.certificate as Obj).certificate as string,
      key: cert.key as string,
      ...(typeof cert.key_passphrase === 'string' ? { passphrase: cert.key_passphrase } : {}),
    };
  }

  function certContext(vs: Obj | undefined, serverName?: string): SecureContext | undefined {
    const c = certOf(vs, serverName);
    if (!c) return undefined;
    let sc = contexts.get(c.id);
    if (!sc) {
      try {
        sc = createSecureContext({ cert: c.cert, key: c.key, ...(c.passphrase ? { passphrase: c.passphrase } : {}) });
      } catch (e) {
        log.warn('data plane: certificate unusable', { vs: vs?.name, error: (e as Error).message });
        return undefined;
      }
      contexts.set(c.id, sc);
    }
    return sc;
  }

  /** Clients without SNI get the parent VS's own certificate (when it has one). */
  function refreshDefaultCert(h: Held): void {
    if (!h.spec.tls || h.state !== 'listening' || !h.server) return;
    const c = certOf(lookup(h.spec.vsUuid));
    if (!c || c.id === h.defaultCert) return;
    try {
      (h.server as TlsServer).setSecureContext({ cert: c.cert, key: c.key, ...(c.passphrase ? { passphrase: c.passphrase } : {}) });
      h.defaultCert = c.id;
    } catch (e) {
      log.warn('data plane: certificate unusable', { vs: h.spec.vsName, error: (e as Error).message });
    }
  }

  const httpCtx = {
    lookup,
    children,
    upstreams,
    stats: httpStats,
    runScript: (script: string, req: Parameters<typeof scripts.run>[1]) => scripts.run(script, req),
    traffic,
    secureContext(parentUuid: string, serverName: string | undefined) {
      const child = sniChild(children(), parentUuid, serverName);
      return certContext(child) ?? certContext(lookup(parentUuid), serverName);
    },
  };
  const l4Ctx = { lookup, upstreams, stats: l4Stats, traffic };

  function open(spec: ListenerSpec): Promise<void> {
    const h: Held = { spec, state: 'starting', sockets: new Set() };
    held.set(spec.key, h);
    const fail = (e: Error) => {
      h.state = 'failed';
      h.error = `cannot listen on ${spec.proto} ${spec.ip}:${spec.port}: ${e.message}`;
      log.warn('data plane: listener failed', { vs: spec.vsName, listener: spec.key, error: e.message });
    };
    if (!isLoopback(spec.ip)) {
      fail(new Error('not a loopback address'));
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      if (spec.proto === 'udp') {
        const udp = createUdpListener(spec, l4Ctx);
        h.udp = udp;
        udp.socket.once('error', (e) => {
          fail(e);
          resolve();
        });
        udp.socket.bind(spec.port, spec.ip, () => {
          h.state = 'listening';
          resolve();
        });
        return;
      }
      const server = spec.mode === 'http' ? createHttpListener(spec, httpCtx) : createTcpListener(spec, l4Ctx);
      h.server = server;
      // Client connections as the wire carries them (raw TCP, before TLS).
      if (traffic) server.on('connection', (s: Socket) => traffic.socket('client', [spec.vsUuid], s));
      server.on(spec.tls ? 'secureConnection' : 'connection', (s: Socket) => {
        h.sockets.add(s);
        s.on('close', () => h.sockets.delete(s));
      });
      if (spec.tls) {
        server.on('connection', (s: Socket) => {
          h.sockets.add(s);
          s.on('close', () => h.sockets.delete(s));
        });
        server.on('tlsClientError', () => undefined);
      }
      server.on('clientError', (_e: Error, s: Socket) => s.destroy());
      server.once('error', (e) => {
        fail(e);
        resolve();
      });
      server.listen({ host: spec.ip, port: spec.port, exclusive: true }, () => {
        h.state = 'listening';
        // Later errors (e.g. accept failures) are logged; they never take the process down.
        server.on('error', (e) => log.warn('data plane: listener error', { vs: spec.vsName, listener: spec.key, error: e.message }));
        log.info('data plane: listening', { vs: spec.vsName, listener: spec.key, mode: spec.mode, tls: spec.tls });
        resolve();
      });
    });
  }

  function shut(h: Held): Promise<void> {
    held.delete(h.spec.key);
    if (h.udp) {
      h.udp.close();
      return Promise.resolve();
    }
    const server = h.server;
    if (!server || h.state === 'failed') return Promise.resolve();
    return new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const s of h.sockets) s.destroy();
    });
  }

  async function reconcile(): Promise<void> {
    if (closed) return;
    const plan = planListeners(state.list('virtualservice'), lookup);
    issues = plan.issues;
    const wanted = new Map(plan.listeners.map((s) => [s.key, s]));
    const work: Promise<void>[] = [];
    for (const h of [...held.values()]) {
      const w = wanted.get(h.spec.key);
      // Failed listeners are retried on every reconcile (the port may be free now).
      if (!w || signature(w) !== signature(h.spec) || h.state === 'failed') {
        if (w || h.state !== 'failed') log.info('data plane: closing listener', { vs: h.spec.vsName, listener: h.spec.key });
        work.push(shut(h));
      }
    }
    await Promise.all(work);
    if (closed) return;
    await Promise.all([...wanted.values()].filter((s) => !held.has(s.key)).map(open));
    for (const h of held.values()) refreshDefaultCert(h);
    for (const id of [...contexts.keys()]) {
      const at = id.lastIndexOf('@');
      if (String(lookup(id.slice(0, at))?._last_modified) !== id.slice(at + 1)) contexts.delete(id);
    }
  }

  // Changes are applied one reconcile at a time; a burst of writes coalesces into one more pass.
  let running: Promise<void> = Promise.resolve();
  let queued = false;
  function schedule(): Promise<void> {
    if (queued) return running;
    queued = true;
    running = running.then(async () => {
      queued = false;
      try {
        await reconcile();
      } catch (e) {
        log.warn('data plane: reconcile failed', { error: (e as Error).message });
      }
    });
    return running;
  }
  let rechecking = false;
  const recheckServers = async () => {
    if (rechecking) return;
    rechecking = true;
    try {
      await upstreams.recheck();
    } finally {
      rechecking = false;
    }
  };
  const recheckTimer = setInterval(() => void recheckServers(), RECHECK_MS);
  recheckTimer.unref();
  const unsubscribe = state.onChange((changes) => {
    if (changes.some((c) => RELEVANT.has(c.type))) void schedule();
  });
  void schedule();

  return {
    vsIssues(vsUuid) {
      const out = [...(issues.get(vsUuid) ?? [])];
      for (const h of held.values()) if (h.spec.vsUuid === vsUuid && h.state === 'failed' && h.error) out.push(h.error);
      return out;
    },
    serverDown: (ip, port) => upstreams.serverDown(ip, port),
    status() {
      return {
        listeners: [...held.values()]
          .map((h) => ({ key: h.spec.key, vs: h.spec.vsName, mode: h.spec.mode, tls: h.spec.tls, state: h.state, ...(h.error ? { error: h.error } : {}) }))
          .sort((a, b) => a.key.localeCompare(b.key)),
        blockedDials: upstreams.stats.blockedDials,
        dials: upstreams.stats.dials,
        failedDials: upstreams.stats.failedDials,
        requests: httpStats.requests,
        connections: l4Stats.connections,
        datascripts: { ...scripts.stats },
      };
    },
    settled: () => running,
    recheckServers,
    async close() {
      closed = true;
      clearInterval(recheckTimer);
      unsubscribe();
      await running;
      await Promise.all([...held.values()].map(shut));
    },
  };
}

/** How often servers whose dial failed are tried again (TCP connect, closed at once). */
export const RECHECK_MS = 5000;

/** Object types whose changes can change the listeners (VS, VIPs, profiles, default certificates). Pools etc. are read per request. */
const RELEVANT = new Set(['virtualservice', 'vsvip', 'applicationprofile', 'networkprofile', 'sslkeyandcertificate']);
