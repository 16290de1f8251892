// Names, refs and ownership strings that make an object AMKO's (spec amko.md §14.1).
import { createHash } from 'node:crypto';

export const HM_PREFIX = 'amko--';

export const createdBy = (amkoUuid: string) => `amko-${amkoUuid}`;
export const groupName = (priority: number) => `amko-gs-group-${priority}`;
export const tenantRef = (tenant: string) => `/api/tenant/?name=${encodeURIComponent(tenant)}`;
// The Go AMKO's form of a ref by name (rest/dq_nodes.go:AviGSBuild: `/api/healthmonitor?name=`,
// `/api/applicationpersistenceprofile?name=`); the controller resolves either form.
export const refByName = (type: string, name: string) => `/api/${type}?name=${encodeURIComponent(name)}`;

const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');

/** Path health monitor of an Ingress GslbService: amko-- + sha1("http|https--gs--path"). */
export const pathHmName = (protocol: 'http' | 'https', gsName: string, path: string) => `${HM_PREFIX}${sha1(`${protocol}--${gsName}--${path}`)}`;

/** Health monitor of a LoadBalancer Service GslbService: amko-- + sha1(gs). */
export const serviceHmName = (gsName: string) => `${HM_PREFIX}${sha1(gsName)}`;

/** Whether a health monitor name is one AMKO creates (splits on "--" with "amko" first). */
export const isAmkoHmName = (name: string) => name.split('--')[0] === 'amko' && name.includes('--');
