/**
 * The corpus's vocabulary. A case is one bad or edge-case object (its `subject`) plus what it needs around it
 * (a Secret it names, a second Service of a shared VIP). Objects are plain Kubernetes manifests; the e2e test creates
 * them in order and records which the apiserver refused.
 */
export type Manifest = {
  kind: 'Ingress' | 'Service' | 'Secret';
  metadata: { name: string; namespace: string; annotations?: Record<string, string> };
  [field: string]: unknown;
};

/**
 * `warning`: the object is wrong (or loses to an older claim): AKO must put a Warning Event on `subject`.
 * `visible`: an edge case AKO may serve or refuse, but never silently: `subject` gets a status or a Warning Event.
 */
export type Expect = 'warning' | 'visible';

export interface BadCase {
  id: string;
  category: 'host' | 'path' | 'port' | 'name-length' | 'tls' | 'annotation' | 'duplicate' | 'collision' | 'lb-service';
  expect: Expect;
  /** the object judged: the Warning (or status) is looked for on it */
  subject: { kind: 'Ingress' | 'Service'; namespace: string; name: string };
  /** created in this order; the subject is among them */
  objects: Manifest[];
  /** what it tries, for the report */
  note: string;
}

/** What the generator needs to know about the cluster: namespace names and the valid workload's facts. */
export interface CorpusContext {
  /** the prefix of every namespace of the run */
  base: string;
  /** the 5 teams' namespaces (the valid workload, see workload.ts) */
  teams: readonly string[];
  /** namespaces holding only bad inputs: misc, `<team 0>-a` (name collisions), `<base>` (L4 name collisions), a 63-char one */
  misc: string;
  collA: string;
  bare: string;
  long: string;
  domain: string;
  ingressClass: string;
  /** PEM texts by fixture file name (fixtures/tls) */
  pems: Readonly<Record<string, string>>;
  /** a valid certificate and key (the test's CA) covering every name of `sans(ctx)` */
  cert: { crt: string; key: string };
  /** the VIPs the valid workload got (preferred-VIP hijacks) */
  validVips: readonly string[];
  /** the VIP network's first three octets (`127.x.y`) */
  net: string;
}
