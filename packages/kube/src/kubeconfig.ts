// The operators' client configuration without @kubernetes/client-node (whose generated models and APIs cost ~25 MiB
// of heap and ~75 MiB of RSS at import): kubeconfig files (YAML or JSON) with a token, a token file, client
// certificates or basic auth, and the CA as data or a file; the in-cluster service account (token re-read as the
// kubelet rotates it, CA, namespace). TLS is verified unless the cluster says insecure-skip-tls-verify.
// Exec plugins and auth providers are refused with a message that says so.
import { existsSync, readFileSync, statSync } from 'node:fs';
import type * as https from 'node:https';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { parse as parseYaml } from 'yaml';

/**
 * What this package needs of a client configuration. Ours (LeanKubeConfig) is one; so is client-node's KubeConfig,
 * which tests may pass.
 */
export interface KubeConfig {
  getCurrentCluster(): { server: string } | null;
  /** Sets TLS options (ca, cert, key, rejectUnauthorized) and the Authorization header on `opts`. */
  applyToHTTPSOptions(opts: https.RequestOptions): Promise<void>;
}

export interface KubeCluster {
  name: string;
  server: string;
  caData?: string;
  caFile?: string;
  skipTLSVerify: boolean;
  tlsServerName?: string;
}

export interface KubeUser {
  name: string;
  token?: string;
  tokenFile?: string;
  certData?: string;
  certFile?: string;
  keyData?: string;
  keyFile?: string;
  username?: string;
  password?: string;
}

export interface KubeContext {
  name: string;
  cluster: string;
  user: string;
  namespace?: string;
}

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
/** A token file is read again at most this often (the kubelet rotates projected tokens well before they expire). */
const TOKEN_FILE_TTL_MS = 60_000;

// The kubeconfig's shape, checked by hand rather than with zod, so that reading a kubeconfig does not load zod
// (bundled alone, zod takes a bare node from 44 to 56 MiB of RSS) for the dozen fields read here (issue 15). Errors
// name the field as zod's did (`kubeconfig: clusters.0.cluster.server: server is empty`); other fields are ignored.
type Doc = Record<string, unknown>;

const kindOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
const invalid = (path: string, message: string): never => {
  throw new Error(`kubeconfig: ${path || '(root)'}: ${message}`);
};
const expected = (path: string, type: string, v: unknown): never => invalid(path, `Invalid input: expected ${type}, received ${kindOf(v)}`);
const at = (path: string, key: string | number) => (path ? `${path}.${key}` : String(key));

function object(v: unknown, path: string): Doc {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Doc) : expected(path, 'object', v);
}
/** An optional field that must be a string when present (null counts as absent only where `nullable`). */
function optString(o: Doc, key: string, path: string, nullable = false): string | undefined {
  const v = o[key];
  if (v === undefined || (nullable && v === null)) return undefined;
  return typeof v === 'string' ? v : expected(at(path, key), 'string', v);
}
function reqString(o: Doc, key: string, path: string, emptyMessage?: string): string {
  const v = o[key];
  if (typeof v !== 'string') return expected(at(path, key), 'string', v);
  if (emptyMessage && v === '') invalid(at(path, key), emptyMessage);
  return v;
}
/** `clusters`, `users`, `contexts`: a list (null or absent: none) of objects with a non-empty name. */
function namedList(doc: Doc, key: string): { name: string; entry: Doc; path: string }[] {
  const v = doc[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) return expected(key, 'array', v);
  return v.map((item, i) => {
    const path = at(key, i);
    const entry = object(item, path);
    return { name: reqString(entry, 'name', path, 'name is empty'), entry, path };
  });
}

interface ClusterFields {
  server: string;
  ca?: string;
  caData?: string;
  skipTLSVerify?: boolean;
  tlsServerName?: string;
  proxyUrl?: string;
}
function clusterFields(v: unknown, path: string): ClusterFields {
  const c = object(v, path);
  const skip = c['insecure-skip-tls-verify'];
  if (skip !== undefined && typeof skip !== 'boolean') expected(at(path, 'insecure-skip-tls-verify'), 'boolean', skip);
  const out: ClusterFields = { server: reqString(c, 'server', path, 'server is empty') };
  const ca = optString(c, 'certificate-authority', path);
  const caData = optString(c, 'certificate-authority-data', path);
  const tlsServerName = optString(c, 'tls-server-name', path);
  const proxyUrl = optString(c, 'proxy-url', path);
  if (ca !== undefined) out.ca = ca;
  if (caData !== undefined) out.caData = caData;
  if (skip !== undefined) out.skipTLSVerify = skip as boolean;
  if (tlsServerName !== undefined) out.tlsServerName = tlsServerName;
  if (proxyUrl !== undefined) out.proxyUrl = proxyUrl;
  return out;
}

const USER_STRINGS = ['token', 'tokenFile', 'client-certificate', 'client-certificate-data', 'client-key', 'client-key-data', 'username', 'password'] as const;
type UserFields = Partial<Record<(typeof USER_STRINGS)[number], string>> & { exec?: unknown; 'auth-provider'?: unknown };
function userFields(v: unknown, path: string): UserFields {
  if (v === undefined || v === null) return {};
  const u = object(v, path);
  const out: UserFields = {};
  for (const key of USER_STRINGS) {
    const s = optString(u, key, path);
    if (s !== undefined) out[key] = s;
  }
  if (u.exec !== undefined) out.exec = u.exec;
  if (u['auth-provider'] !== undefined) out['auth-provider'] = u['auth-provider'];
  return out;
}

const b64 = (s: string) => Buffer.from(s, 'base64').toString('utf8');

/** A kubeconfig's clusters, users and contexts, and the current one; connects as the current context says. */
export class LeanKubeConfig implements KubeConfig {
  private token?: { value: string; readAt: number; mtimeMs: number };
  /** The TLS material of the current context, read once. */
  private tls?: { ca?: string; cert?: string; key?: string };

  constructor(
    readonly clusters: readonly KubeCluster[],
    readonly users: readonly KubeUser[],
    readonly contexts: readonly KubeContext[],
    private currentContext: string,
    /** A token file is read again after this long if its modification time changed. */
    private readonly tokenFileTtlMs = TOKEN_FILE_TTL_MS,
  ) {}

  getCurrentContext(): string {
    return this.currentContext;
  }

  getContextObject(name: string): KubeContext | undefined {
    return this.contexts.find((c) => c.name === name);
  }

  /** Makes NAME the current context; throws when there is no such context. */
  setCurrentContext(name: string): void {
    if (!this.getContextObject(name)) throw new Error(`kubeconfig has no context ${name}`);
    this.currentContext = name;
    this.token = undefined;
    this.tls = undefined;
  }

  getCurrentCluster(): KubeCluster | null {
    const context = this.getContextObject(this.currentContext);
    return (context && this.clusters.find((c) => c.name === context.cluster)) ?? null;
  }

  getCurrentUser(): KubeUser | null {
    const context = this.getContextObject(this.currentContext);
    return (context && this.users.find((u) => u.name === context.user)) ?? null;
  }

  /** A configuration of its own with the same contents (a write fence on it leaves this one alone). */
  copy(): LeanKubeConfig {
    return new LeanKubeConfig(this.clusters, this.users, this.contexts, this.currentContext, this.tokenFileTtlMs);
  }

  /** Cheap after the first call: files are read once (the token file again when it changed, at most every minute). */
  async applyToHTTPSOptions(opts: https.RequestOptions): Promise<void> {
    const cluster = this.getCurrentCluster();
    if (!cluster) throw new Error(`kubeconfig: context ${this.currentContext || '(none)'} names no cluster`);
    const user = this.getCurrentUser();
    const tls = (this.tls ??= {
      ...(cluster.caData || cluster.caFile ? { ca: cluster.caData ?? readFileSync(cluster.caFile!, 'utf8') } : {}),
      ...(user?.certData || user?.certFile ? { cert: user.certData ?? readFileSync(user.certFile!, 'utf8') } : {}),
      ...(user?.keyData || user?.keyFile ? { key: user.keyData ?? readFileSync(user.keyFile!, 'utf8') } : {}),
    });
    if (tls.ca) opts.ca = tls.ca;
    if (tls.cert) opts.cert = tls.cert;
    if (tls.key) opts.key = tls.key;
    opts.rejectUnauthorized = !cluster.skipTLSVerify;
    if (cluster.tlsServerName) opts.servername = cluster.tlsServerName;
    const headers = { ...(opts.headers as Record<string, string> | undefined) };
    const token = user?.token ?? (user?.tokenFile ? this.fileToken(user.tokenFile) : undefined);
    if (token) headers.authorization = `Bearer ${token}`;
    else if (user?.username !== undefined && user.password !== undefined) headers.authorization = `Basic ${Buffer.from(`${user.username}:${user.password}`).toString('base64')}`;
    opts.headers = headers;
  }

  private fileToken(file: string): string {
    const now = Date.now();
    if (this.token && now - this.token.readAt < this.tokenFileTtlMs) return this.token.value;
    const mtimeMs = statSync(file).mtimeMs;
    if (this.token && this.token.mtimeMs === mtimeMs) {
      this.token.readAt = now;
      return this.token.value;
    }
    this.token = { value: readFileSync(file, 'utf8').trim(), readAt: now, mtimeMs };
    return this.token.value;
  }
}

/** Parses kubeconfig text (YAML or JSON); relative file paths are taken from `baseDir`. Throws a clear error. */
export function kubeConfigFromString(text: string, baseDir = process.cwd()): LeanKubeConfig {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new Error(`kubeconfig is not YAML: ${(err as Error).message}`);
  }
  const k = object(doc ?? {}, '');
  const file = (p: string | undefined) => (p === undefined ? undefined : isAbsolute(p) ? p : join(baseDir, p));
  const clusters: KubeCluster[] = namedList(k, 'clusters').map(({ name, entry, path }) => {
    const c = clusterFields(entry.cluster, at(path, 'cluster'));
    if (c.proxyUrl) throw new Error(`kubeconfig: cluster ${name} has a proxy-url, which is not supported: reach the apiserver directly`);
    return {
      name,
      server: c.server,
      ...(c.caData ? { caData: b64(c.caData) } : {}),
      ...(c.ca ? { caFile: file(c.ca)! } : {}),
      skipTLSVerify: c.skipTLSVerify === true,
      ...(c.tlsServerName ? { tlsServerName: c.tlsServerName } : {}),
    };
  });
  const users: KubeUser[] = namedList(k, 'users').map(({ name, entry, path }) => {
    const u = userFields(entry.user, at(path, 'user'));
    if (u.exec !== undefined || u['auth-provider'] !== undefined) {
      throw new Error(`kubeconfig: user ${name} uses ${u.exec !== undefined ? 'an exec plugin' : 'an auth provider'}, which is not supported: give it a token, a tokenFile or a client certificate`);
    }
    return {
      name,
      ...(u.token ? { token: u.token } : {}),
      ...(u.tokenFile ? { tokenFile: file(u.tokenFile)! } : {}),
      ...(u['client-certificate-data'] ? { certData: b64(u['client-certificate-data']) } : {}),
      ...(u['client-certificate'] ? { certFile: file(u['client-certificate'])! } : {}),
      ...(u['client-key-data'] ? { keyData: b64(u['client-key-data']) } : {}),
      ...(u['client-key'] ? { keyFile: file(u['client-key'])! } : {}),
      ...(u.username !== undefined ? { username: u.username } : {}),
      ...(u.password !== undefined ? { password: u.password } : {}),
    };
  });
  const contexts: KubeContext[] = namedList(k, 'contexts').map(({ name, entry, path }) => {
    const c = object(entry.context, at(path, 'context'));
    const cpath = at(path, 'context');
    const namespace = optString(c, 'namespace', cpath);
    return { name, cluster: reqString(c, 'cluster', cpath), user: optString(c, 'user', cpath) ?? '', ...(namespace ? { namespace } : {}) };
  });
  const current = optString(k, 'current-context', '', true);
  return new LeanKubeConfig(clusters, users, contexts, current ?? contexts[0]?.name ?? '');
}

/** Reads a kubeconfig file. */
export function loadKubeConfigFile(path: string): LeanKubeConfig {
  return kubeConfigFromString(readFileSync(path, 'utf8'), dirname(path));
}

/** The pod's service account: KUBERNETES_SERVICE_HOST/PORT, its token (re-read on rotation) and CA. */
export function inClusterKubeConfig(env: Record<string, string | undefined> = process.env, dir = SERVICE_ACCOUNT_DIR, tokenFileTtlMs = TOKEN_FILE_TTL_MS): LeanKubeConfig {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port) throw new Error('not in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set');
  const tokenFile = join(dir, 'token');
  if (!existsSync(tokenFile)) throw new Error(`no service account token at ${tokenFile}`);
  const server = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const caFile = join(dir, 'ca.crt');
  const cluster: KubeCluster = { name: 'inCluster', server, skipTLSVerify: false, ...(existsSync(caFile) ? { caFile } : {}) };
  const user: KubeUser = { name: 'inClusterUser', tokenFile };
  return new LeanKubeConfig([cluster], [user], [{ name: 'inClusterContext', cluster: cluster.name, user: user.name }], 'inClusterContext', tokenFileTtlMs);
}

/**
 * As client-go's defaults: the first file of $KUBECONFIG, else ~/.kube/config if it exists, else the in-cluster
 * service account.
 */
export function defaultKubeConfig(env: Record<string, string | undefined> = process.env): LeanKubeConfig {
  const first = env.KUBECONFIG?.split(':').find((p) => p !== '');
  if (first) return loadKubeConfigFile(first);
  const home = join(env.HOME ?? homedir(), '.kube', 'config');
  if (existsSync(home)) return loadKubeConfigFile(home);
  return inClusterKubeConfig(env);
}

/**
 * A configuration object of its own that connects as `kc` does (for a write fence that must leave `kc` alone),
 * whichever kind `kc` is.
 */
export function forkKubeConfig(kc: KubeConfig): KubeConfig {
  if (kc instanceof LeanKubeConfig) return kc.copy();
  return { getCurrentCluster: () => kc.getCurrentCluster(), applyToHTTPSOptions: (o) => kc.applyToHTTPSOptions(o) };
}
