/**
 * Avi object names, byte-compatible with the Go AKO (spec ako.md §2.1/§2.2, SNI mode, EVH off). Any difference here
 * would make a switch from the Go AKO delete and recreate objects, so every format is tested against fixtures.
 */
import type { AkoConfig } from './config.js';
import { evhEncode } from './evh-names.js';

/** Longest Avi object name; AKO skips objects whose names are longer. */
export const AVI_NAME_MAX_LENGTH = 255;
export const DEDICATED_SUFFIX = '-L7-dedicated';

/** `<cluster>--`. */
export const namePrefix = (c: Pick<AkoConfig, 'clusterName'>): string => `${c.clusterName}--`;

/** Value of `created_by`: `ako-<cluster>`, or `ako-<cluster>-<akoNamespace>` for a secondary AKO. */
export const akoUser = (c: Pick<AkoConfig, 'clusterName' | 'primaryInstance' | 'akoNamespace'>): string =>
  c.primaryInstance ? `ako-${c.clusterName}` : `ako-${c.clusterName}-${c.akoNamespace}`;

/** Inserted into shared VS names by a secondary AKO: `<akoNamespace>-`. */
export const akoIdPrefix = (c: Pick<AkoConfig, 'primaryInstance' | 'akoNamespace'>): string => (c.primaryInstance ? '' : `${c.akoNamespace}-`);

const infraPart = (infra: string | undefined): string => (infra ? `${infra}-` : '');
/** Every `/` of a path becomes `_`: `/foo/bar` -> `_foo_bar`. */
export const pathPart = (path: string): string => path.replaceAll('/', '_');

// L4 (Service of type LoadBalancer). A shared-VIP group uses its annotation value in place of the Service name.
// In EVH mode these names are SHA1-encoded (evh-names.ts), as the Go AKO's.
export const l4VsName = (c: AkoConfig, ns: string, svc: string): string => evhEncode(c, `${namePrefix(c)}${ns}-${svc}`);
export const l4VsVipName = l4VsName;
export const l4PolicySetName = l4VsName;
/** Pool of a Service in a shared-VIP group: `<cluster>--<ns>-<svc>-<key>-<PROTOCOL>-<port>` (key: the annotation value). */
export const l4SharedPoolName = (c: AkoConfig, ns: string, svc: string, key: string, protocol: string, port: number): string =>
  evhEncode(c, `${namePrefix(c)}${ns}-${svc}-${key}-${protocol}-${port}`);
export const l4PoolName = (c: AkoConfig, ns: string, svc: string, protocol: string, port: number): string => evhEncode(c, `${namePrefix(c)}${ns}-${svc}-${protocol}-${port}`);

// Shared L7 parent VS (SNI mode) and the objects named after it.
export const sharedVsName = (c: AkoConfig, index: number, infra?: string): string => `${namePrefix(c)}${akoIdPrefix(c)}Shared-L7-${c.enableEVH ? 'EVH-' : ''}${infraPart(infra)}${index}`;
export const sharedVsVipName = (vsName: string): string => vsName;
export const sharedPoolGroupName = (vsName: string): string => vsName;
export const sharedDataScriptName = (vsName: string): string => vsName;
export const redirectPolicyName = (vsName: string): string => vsName;

/** Pool of an insecure host/path on a shared VS: `<cluster>--[<infra>-]<host><path_>-<ns>-<ing>`. */
export const l7PoolName = (c: AkoConfig, host: string, path: string, ns: string, ing: string, infra?: string): string =>
  `${namePrefix(c)}${infraPart(infra)}${pathPart(host + path)}-${ns}-${ing}`;

/** Pool of an Ingress's `spec.defaultBackend` on shard 0 (ours; the Go AKO does not serve it). */
export const defaultBackendPoolName = (c: AkoConfig, ns: string, ing: string): string => `${namePrefix(c)}default-backend-${ns}-${ing}`;
/** Pool-group member label of a defaultBackend pool: `default-backend/<ns>/<ing>`. */
export const DEFAULT_BACKEND_LABEL = 'default-backend';

// SNI child VS of a secure host and its objects.
export const sniVsName = (c: AkoConfig, host: string, infra?: string): string => `${namePrefix(c)}${infraPart(infra)}${host}`;
export const sniPoolName = (c: AkoConfig, ing: string, ns: string, host: string, path: string, infra?: string, dedicated = false): string =>
  `${namePrefix(c)}${infraPart(infra)}${ns}-${host}${pathPart(path)}-${ing}${dedicated ? DEDICATED_SUFFIX : ''}`;
export const sniPoolGroupName = sniPoolName;
/** Name of the HTTP policy rule for one host/path (`GetSniHppMapName`). */
export const sniRuleName = sniPoolName;
export const sniHttpPolicySetName = (c: AkoConfig, ns: string, host: string, infra?: string): string => `${namePrefix(c)}${infraPart(infra)}${ns}-${host}`;
/** SSLKeyAndCertificate from an Ingress TLS Secret: `<cluster>--[<infra>-]<host>` (`-alt` for the alternate cert). */
export const tlsCertName = (c: AkoConfig, host: string, infra?: string, alt = false): string => `${namePrefix(c)}${infraPart(infra)}${host}${alt ? '-alt' : ''}`;
/** The default certificate (`router-certs-default`) is named after the Secret, not the host. */
export const defaultCertName = (c: AkoConfig, secretName: string): string => `${namePrefix(c)}${secretName}`;

// Dedicated mode (shardVSSize DEDICATED): one VS per host.
export const dedicatedVsName = (c: AkoConfig, host: string, infra?: string): string => `${namePrefix(c)}${infraPart(infra)}${host}${DEDICATED_SUFFIX}`;

/**
 * `/api/<type>/?name=<name>`: refs by name, resolved by the controller. The name is URL-encoded: a `#`, `+`, `%`,
 * `&`, space or non-ASCII character of an Ingress path would otherwise end or change the name the controller reads
 * (the Go AKO writes it raw). Names of the characters the Go AKO's objects use are unchanged by the encoding.
 */
export const nameRef = (type: string, name: string): string => `/api/${type}/?name=${encodeURIComponent(name)}`;
/** `/api/<type>?name=<name>` (the form without the slash some Go AKO refs use), name URL-encoded as in nameRef. */
export const nameRefNoSlash = (type: string, name: string): string => `/api/${type}?name=${encodeURIComponent(name)}`;
