/**
 * Avi object names in EVH mode, byte-compatible with the Go AKO 2.2.1 (spec ako.md §2.1 `Encode`, §2.2 "EVH mode"):
 * with enableEVH every name but the shared parent's and its VsVip's is `<cluster>--` + hex(SHA1(<the name it would
 * have>)), where the hashed text already starts with `<cluster>--`. EVH pools add `-<service>` before hashing. The
 * objects an AviInfraSetting places (its config, `c.infraSetting`) have `<infra>-` after the prefix.
 */
import { createHash } from 'node:crypto';
import type { AkoConfig } from './config.js';
import { namePrefix, pathPart } from './names.js';

/** `Encode(s)`: `<cluster>--<sha1 hex of s>` in EVH mode, `s` itself otherwise. */
export function evhEncode(c: Pick<AkoConfig, 'clusterName' | 'enableEVH'>, s: string): string {
  return c.enableEVH ? `${namePrefix(c)}${createHash('sha1').update(s).digest('hex')}` : s;
}

const infra = (c: AkoConfig): string => (c.infraSetting ? `${c.infraSetting}-` : '');

/** EVH child VS of a host (`GetEvhNodeName`); also its redirect policy set and its certificate. */
export const evhVsName = (c: AkoConfig, host: string): string => evhEncode(c, `${namePrefix(c)}${infra(c)}${host}`);
/** Certificate of a host from its Ingress Secret (`-alt`: the alternate one). */
export const evhCertName = (c: AkoConfig, host: string, alt = false): string => evhEncode(c, `${namePrefix(c)}${infra(c)}${host}${alt ? '-alt' : ''}`);
/** The default certificate (`router-certs-default`), named after the Secret. */
export const evhDefaultCertName = (c: AkoConfig, secret: string): string => evhEncode(c, `${namePrefix(c)}${secret}`);
/** Pool of one host/path of an Ingress backend (`GetEvhPoolName`): `<cluster>--<ns>-<host><path_>-<ing>-<svc>`. */
export const evhPoolName = (c: AkoConfig, ns: string, host: string, path: string, ing: string, svc: string): string =>
  evhEncode(c, `${namePrefix(c)}${infra(c)}${ns}-${host}${pathPart(path)}-${ing}-${svc}`);
/** Pool group of one host/path (`GetEvhPGName`): `<cluster>--<ns>-<host><path_>-<ing>`. */
export const evhPoolGroupName = (c: AkoConfig, ns: string, host: string, path: string, ing: string): string =>
  evhEncode(c, `${namePrefix(c)}${infra(c)}${ns}-${host}${pathPart(path)}-${ing}`);
/** HTTP policy set of a host's paths in one namespace: `<cluster>--<ns>-<host>`. */
export const evhHttpPolicySetName = (c: AkoConfig, ns: string, host: string): string => evhEncode(c, `${namePrefix(c)}${infra(c)}${ns}-${host}`);
