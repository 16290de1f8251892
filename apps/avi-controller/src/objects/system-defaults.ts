// System default objects (the ones a fresh controller ships: System-* profiles and monitors, Default-Cloud,
// Default-Group, the global and management VRFs, the admin tenant and user, the built-in roles...) cannot be
// deleted: the controller answers "Cannot delete system default object".

import { ApiError } from '../http.js';
import type { Entry } from '../store/store.js';
import { defaultSeed, DEFAULT_DNS_DOMAIN, DEFAULT_VIP_NETWORK } from '../seed.js';

/** Seeded objects that are the user's configuration, not system defaults (the VIP network, IPAM/DNS profiles, GSLB). */
const USER_CONFIG = new Set(['network', 'ipamdnsproviderprofile', 'gslb', 'cluster', 'systemconfiguration', 'controllerproperties']);

let names: Map<string, Set<string>> | undefined;

function defaultNames(): Map<string, Set<string>> {
  if (names) return names;
  names = new Map();
  const seed = defaultSeed({ clusterUuid: '', clusterName: '', nodeAddress: '127.0.0.1', certPem: '', caPem: '', vipNetwork: DEFAULT_VIP_NETWORK, dnsDomain: DEFAULT_DNS_DOMAIN });
  for (const o of seed) {
    if (USER_CONFIG.has(o.type)) continue;
    let set = names.get(o.type);
    if (!set) names.set(o.type, (set = new Set()));
    set.add(o.data.name as string);
  }
  return names;
}

export function isSystemDefault(e: Entry): boolean {
  return e.tenant === 'admin' && (defaultNames().get(e.type)?.has(e.obj.name as string) ?? false);
}

export function checkDeletable(e: Entry): void {
  if (isSystemDefault(e)) throw new ApiError(403, 'Cannot delete system default object', { obj_name: e.obj.name });
}
