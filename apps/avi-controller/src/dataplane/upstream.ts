// Upstream servers: the order to try them in (weighted round robin over pool group members and pool servers,
// servers whose last dial failed last), dialling with the loopback guard, and what is known about their health.
// SAFETY: a non-loopback address is never dialled; it is counted and skipped.

import { connect, type Socket } from 'node:net';
import { isLoopback, pickOrder } from './balance.js';
import { groupMembers, poolServers, type Lookup, type ServerChoice, type Target } from './routing.js';

export const DIAL_TIMEOUT_MS = 5000;

export interface Upstreams {
  /** Servers to try for a target, best first. */
  candidates(target: Target): ServerChoice[];
  /** Dials the first reachable loopback candidate; `error` says why none was reached. */
  dial(candidates: readonly ServerChoice[]): Promise<{ socket: Socket; server: ServerChoice } | { error: string }>;
  /** Why a server is considered down (its last dial failed, or it is not a loopback address); undefined otherwise. */
  serverDown(ip: string, port: number): string | undefined;
  /** Dials refused because the address is not loopback. */
  readonly stats: { blockedDials: number; dials: number; failedDials: number };
  /** Marks a server reachable / unreachable (UDP sessions, dial results). */
  mark(server: ServerChoice, error: string | undefined): void;
  /** Dials every down loopback TCP server once (closing at once): the ones that answer are up again. */
  recheck(): Promise<void>;
}

const keyOf = (s: { ip: string; port: number }): string => `${s.ip}:${s.port}`;
export const NON_LOOPBACK = 'not a loopback address: never dialled by the local data plane';

/** MAY_DIAL: loopback only unless the data plane was given networks it may dial (a node's pod network). */
export function createUpstreams(lookup: Lookup, mayDial: (ip: string) => boolean = isLoopback): Upstreams {
  const rr = new Map<string, Map<string, number>>();
  const down = new Map<string, string>();
  const stats = { blockedDials: 0, dials: 0, failedDials: 0 };
  const state = (k: string): Map<string, number> => {
    let m = rr.get(k);
    if (!m) rr.set(k, (m = new Map()));
    return m;
  };

  function poolOrder(poolUuid: string): ServerChoice[] {
    const servers = poolServers(lookup(poolUuid)).map((s) => ({ ...s, pool: poolUuid }));
    const byKey = new Map(servers.map((s) => [keyOf(s), s]));
    // Up servers take part in the rotation; down ones are tried only after them.
    const up = servers.filter((s) => !down.has(keyOf(s)));
    const order = pickOrder(state(`pool:${poolUuid}`), (up.length > 0 ? up : servers).map((s) => ({ key: keyOf(s), weight: s.ratio })));
    const rest = servers.filter((s) => !order.includes(keyOf(s)));
    return [...order.map((k) => byKey.get(k)!), ...rest];
  }

  const upstreams: Upstreams = {
    stats,
    candidates(target) {
      if (target.kind === 'pool') return poolOrder(target.uuid);
      const members = groupMembers(lookup, lookup(target.uuid), target.label);
      const pools = pickOrder(state(`pg:${target.uuid}:${target.label ?? ''}`), members.map((m) => ({ key: m.pool, weight: m.ratio })));
      const seen = new Set<string>();
      const out: ServerChoice[] = [];
      for (const p of pools) {
        for (const s of poolOrder(p)) {
          if (seen.has(keyOf(s))) continue;
          seen.add(keyOf(s));
          out.push(s);
        }
      }
      return out;
    },
    async dial(candidates) {
      if (candidates.length === 0) return { error: 'no enabled server' };
      const errors: string[] = [];
      for (const s of candidates) {
        if (!mayDial(s.ip)) {
          stats.blockedDials++;
          errors.push(`${keyOf(s)}: ${NON_LOOPBACK}`);
          continue;
        }
        stats.dials++;
        const result = await new Promise<Socket | string>((resolve) => {
          const sock = connect({ host: s.ip, port: s.port });
          const timer = setTimeout(() => {
            sock.destroy();
            resolve(`connect timeout after ${DIAL_TIMEOUT_MS} ms`);
          }, DIAL_TIMEOUT_MS);
          sock.once('connect', () => {
            clearTimeout(timer);
            // Errors after the connect are handled by the caller's pipes; never let one go unhandled.
            sock.on('error', () => undefined);
            resolve(sock);
          });
          sock.once('error', (e) => {
            clearTimeout(timer);
            resolve(e.message);
          });
        });
        if (typeof result !== 'string') {
          down.delete(keyOf(s));
          return { socket: result, server: s };
        }
        stats.failedDials++;
        down.set(keyOf(s), result);
        errors.push(`${keyOf(s)}: ${result}`);
      }
      return { error: errors.join('; ') };
    },
    serverDown(ip, port) {
      if (!mayDial(ip)) return NON_LOOPBACK;
      return down.get(keyOf({ ip, port }));
    },
    async recheck() {
      await Promise.all(
        [...down.keys()].map(async (key) => {
          const i = key.lastIndexOf(':');
          const s = { ip: key.slice(0, i), port: Number(key.slice(i + 1)), ratio: 1 };
          if (!mayDial(s.ip)) return;
          const ok = await new Promise<boolean>((resolve) => {
            const sock = connect({ host: s.ip, port: s.port });
            const timer = setTimeout(() => {
              sock.destroy();
              resolve(false);
            }, DIAL_TIMEOUT_MS);
            sock.once('connect', () => {
              clearTimeout(timer);
              sock.destroy();
              resolve(true);
            });
            sock.once('error', () => {
              clearTimeout(timer);
              resolve(false);
            });
          });
          if (ok) down.delete(key);
        }),
      );
    },
    mark(server, error) {
      if (error === undefined) down.delete(keyOf(server));
      else down.set(keyOf(server), error);
    },
  };
  return upstreams;
}
