// The state one controller instance works with, passed to every handler.

import type { Store, Tx } from './store/store.js';
import type { Journal } from './store/persist.js';
import type { TypeMeta } from './objects/registry.js';
import type { Sessions } from './session.js';
import type { Faults } from './faults.js';
import type { Ipam } from './ipam.js';
import type { Dns } from './dns.js';
import type { Metrics } from './metrics.js';
import type { RequestLogger } from './log.js';
import type { GslbHealth } from './gslb-health.js';

export interface Identity {
  readonly clusterUuid: string;
  readonly clusterName: string;
  readonly nodeName: string;
  readonly upSince: string;
}

/** What the data plane knows that the runtime views show (set when the data plane runs). */
export interface DataplaneHealth {
  vsIssues(vsUuid: string): string[];
  serverDown(ip: string, port: number): string | undefined;
}

export interface Ctl {
  readonly store: Store;
  readonly journal: Journal;
  readonly registry: Map<string, TypeMeta>;
  readonly sessions: Sessions;
  readonly faults: Faults;
  readonly ipam: Ipam;
  readonly dns: Dns;
  readonly metrics: Metrics;
  readonly log: RequestLogger;
  readonly identity: Identity;
  readonly version: string;
  readonly build: number;
  readonly secureCookies: boolean;
  /** Forced oper_status.state per object uuid (tests), not persisted. */
  readonly runtimeOverrides: Map<string, string>;
  /** The data plane's view of listeners and servers, when it runs (`dataplane: true`). */
  dataplane: DataplaneHealth | undefined;
  /** GSLB data-path monitor results (set with the data plane). */
  gslbHealth: Pick<GslbHealth, 'results'> | undefined;
  /** Monotonic `_last_modified` source (µs since epoch, strictly increasing). */
  nextModified(): string;
  /** Persists a transaction's records; compacts the journal when it grows. */
  commit(tx: Tx): Promise<void>;
}

/** Per-request view: where refs render to, which tenant, which API version. */
export interface ReqCtx {
  /** `https://host[:port]` as the client addressed us. */
  readonly base: string;
  /** Tenant uuid, or `*` for the all-tenants view. */
  readonly tenant: string;
  readonly version: string;
  readonly username: string;
  /** The tenants this user may see, when not all (tenant listings are limited to them). */
  readonly visibleTenants?: ReadonlySet<string>;
}

export function metaOf(ctl: Ctl, type: string): TypeMeta | undefined {
  return ctl.registry.get(type);
}
