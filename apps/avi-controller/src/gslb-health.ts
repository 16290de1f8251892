// GSLB member health from the GslbServices' data-path monitors (`health_monitor_refs`): while a GslbService with
// monitors exists, each (service, member address, monitor) is checked every `send_interval` seconds (timeout
// `receive_timeout`), and the member is marked down after `failed_checks` failures in a row and up again after
// `successful_checks` successes (the first result decides at once; before it, the member counts as up). Only
// loopback member addresses are probed (the data plane serves them); others are down for that monitor. Runs only
// with the data plane; timers are unref'd and stop on close. `memberStatus` combines the result with the
// controller-provided status (the member VS's oper status) as `min_health_monitors_up` asks.

import type { ControllerState, ObjectChange } from './controller.js';
import { monitorPort, NOT_LOOPBACK, probe, PROBED_TYPES } from './gslb-probe.js';
import { isLoopback } from './dataplane/balance.js';

type Obj = Readonly<Record<string, unknown>>;

export interface MonitorResult {
  monitor: string;
  /** undefined until the first check finished. */
  up: boolean | undefined;
  reason?: string;
}

export interface GslbHealth {
  /** The data-path monitor results of one member address of a GslbService (empty: not monitored). */
  results(gsUuid: string, addr: string): MonitorResult[];
  /** Probe loops running now. */
  readonly probes: number;
  close(): void;
}

interface Probe {
  key: string;
  signature: string;
  gsUuid: string;
  addr: string;
  monitor: string;
  up: boolean | undefined;
  okRun: number;
  failRun: number;
  reason?: string;
  timer?: NodeJS.Timeout;
  stopped: boolean;
}

const list = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);
const num = (v: unknown, d: number, min = 1) => (typeof v === 'number' && v >= min ? v : d);
const uuidOfRef = (ref: unknown): string | undefined => (typeof ref === 'string' ? /\/api\/[^/]+\/([^/?#]+)/.exec(ref)?.[1] : undefined);

/** What a GslbService asks to be probed: one entry per (member address, monitor). */
export function wantedProbes(gs: Obj, monitorOf: (uuid: string) => Obj | undefined): Array<{ addr: string; hm: Obj; fqdn: string | undefined }> {
  if (gs.enabled === false) return [];
  const hms = list(gs.health_monitor_refs as unknown).length === 0 ? [] : (gs.health_monitor_refs as unknown[]).map((r) => monitorOf(uuidOfRef(r) ?? '')).filter((h): h is Obj => h !== undefined);
  if (hms.length === 0) return [];
  const nonAviOnly = gs.health_monitor_scope === 'GSLB_SERVICE_HEALTH_MONITOR_ONLY_NON_AVI_MEMBERS';
  const fqdn = list(gs.domain_names as unknown).length > 0 ? String((gs.domain_names as unknown[])[0]) : undefined;
  const out: Array<{ addr: string; hm: Obj; fqdn: string | undefined }> = [];
  const seen = new Set<string>();
  for (const g of list(gs.groups)) {
    if (g.enabled === false) continue;
    for (const m of list(g.members)) {
      const addr = (m.ip as Obj | undefined)?.addr;
      if (m.enabled === false || typeof addr !== 'string' || addr === '') continue;
      if (nonAviOnly && typeof m.vs_uuid === 'string' && m.vs_uuid !== '') continue;
      for (const hm of hms) {
        const k = `${addr}|${String(hm.uuid)}`;
        if (seen.has(k)) continue;
        seen.add(k);
        out.push({ addr, hm, fqdn });
      }
    }
  }
  return out;
}

export function startGslbHealth(state: ControllerState, placed: (addr: string) => boolean): GslbHealth {
  const probes = new Map<string, Probe>();
  const byMember = new Map<string, Set<Probe>>();
  let closed = false;
  let pending = false;

  const memberKey = (gsUuid: string, addr: string) => `${gsUuid}|${addr}`;

  function stop(p: Probe): void {
    p.stopped = true;
    if (p.timer) clearTimeout(p.timer);
    probes.delete(p.key);
    const set = byMember.get(memberKey(p.gsUuid, p.addr));
    set?.delete(p);
    if (set?.size === 0) byMember.delete(memberKey(p.gsUuid, p.addr));
  }

  function start(key: string, signature: string, gsUuid: string, addr: string, hm: Obj, fqdn: string | undefined): void {
    const p: Probe = { key, signature, gsUuid, addr, monitor: String(hm.name), up: undefined, okRun: 0, failRun: 0, stopped: false };
    probes.set(key, p);
    const mk = memberKey(gsUuid, addr);
    if (!byMember.has(mk)) byMember.set(mk, new Set());
    byMember.get(mk)!.add(p);
    if (!isLoopback(addr)) {
      // Never dialled: down for this monitor, no loop.
      p.up = false;
      p.reason = NOT_LOOPBACK;
      return;
    }
    if (!PROBED_TYPES.has(String(hm.type))) {
      p.up = true;
      p.reason = `monitor type ${String(hm.type)} is not checked by this controller`;
      return;
    }
    const intervalMs = num(hm.send_interval, 10) * 1000;
    const timeoutMs = Math.min(num(hm.receive_timeout, 4) * 1000, intervalMs);
    const okNeeded = num(hm.successful_checks, 2);
    const failNeeded = num(hm.failed_checks, 2);
    const target = { addr, port: monitorPort(hm as Record<string, unknown>), fqdn, timeoutMs };
    const run = async () => {
      if (p.stopped) return;
      const err = await probe(hm as Record<string, unknown>, target, placed).catch((e: Error) => e.message);
      if (p.stopped) return;
      if (err === undefined) {
        p.okRun++;
        p.failRun = 0;
        if (p.up === undefined || (!p.up && p.okRun >= okNeeded)) {
          p.up = true;
          delete p.reason;
        }
      } else {
        p.failRun++;
        p.okRun = 0;
        if (p.up === undefined || (p.up && p.failRun >= failNeeded)) p.up = false;
        if (!p.up) p.reason = `${p.monitor}: ${err}`;
      }
      p.timer = setTimeout(() => void run(), intervalMs);
      p.timer.unref();
    };
    void run();
  }

  function reconcile(): void {
    pending = false;
    if (closed) return;
    const wanted = new Map<string, { signature: string; gsUuid: string; addr: string; hm: Obj; fqdn: string | undefined }>();
    const monitorOf = (uuid: string) => {
      const e = state.get(uuid);
      return e?.type === 'healthmonitor' ? e.obj : undefined;
    };
    for (const gs of state.list('gslbservice')) {
      const gsUuid = String(gs.uuid);
      for (const w of wantedProbes(gs, monitorOf)) {
        const hm = w.hm;
        const signature = JSON.stringify([hm._last_modified, w.fqdn]);
        wanted.set(`${gsUuid}|${w.addr}|${String(hm.uuid)}`, { signature, gsUuid, addr: w.addr, hm, fqdn: w.fqdn });
      }
    }
    for (const p of [...probes.values()]) {
      const w = wanted.get(p.key);
      if (!w || w.signature !== p.signature) stop(p);
    }
    for (const [key, w] of wanted) if (!probes.has(key)) start(key, w.signature, w.gsUuid, w.addr, w.hm, w.fqdn);
  }

  const relevant = (changes: ObjectChange[]) => changes.some((c) => c.type === 'gslbservice' || c.type === 'healthmonitor');
  const unsubscribe = state.onChange((changes) => {
    if (!relevant(changes) || pending) return;
    pending = true;
    setImmediate(reconcile);
  });
  reconcile();

  return {
    results(gsUuid, addr) {
      const set = byMember.get(memberKey(gsUuid, addr));
      if (!set) return [];
      return [...set].map((p) => ({ monitor: p.monitor, up: p.up, ...(p.reason !== undefined ? { reason: p.reason } : {}) }));
    },
    get probes() {
      return [...probes.values()].filter((p) => p.timer !== undefined || p.up === undefined).length;
    },
    close() {
      closed = true;
      unsubscribe();
      for (const p of [...probes.values()]) stop(p);
    },
  };
}

/**
 * A member's state from its inputs: the controller-provided status (undefined when the service disables it) and
 * the data-path monitor results. With no monitor results the controller status stands alone (the behaviour
 * without monitors); otherwise the member is up when at least `min_health_monitors_up` inputs are up (default: all).
 */
export function combineMemberState(controller: string | undefined, monitors: readonly MonitorResult[], minUp: unknown): { state: string; reasons: string[] } {
  if (monitors.length === 0) return { state: controller ?? 'OPER_UP', reasons: [] };
  const inputs: Array<{ up: boolean; reason?: string }> = monitors.map((m) => ({ up: m.up !== false, ...(m.up === false && m.reason ? { reason: m.reason } : {}) }));
  if (controller !== undefined) inputs.push({ up: controller === 'OPER_UP', ...(controller !== 'OPER_UP' ? { reason: `controller status ${controller}` } : {}) });
  const need = typeof minUp === 'number' && minUp > 0 ? Math.min(minUp, inputs.length) : inputs.length;
  const up = inputs.filter((i) => i.up).length;
  return up >= need ? { state: 'OPER_UP', reasons: [] } : { state: 'OPER_DOWN', reasons: inputs.filter((i) => !i.up && i.reason).map((i) => i.reason!) };
}
