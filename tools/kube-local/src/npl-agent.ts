#!/usr/bin/env node
// kube-local's NodePortLocal agent: what Antrea's agent does for NodePortLocal (Antrea itself needs OVS, which this
// machine lacks), run by the supervisor with the node. It watches the node's Pods and the cluster's Services,
// plans with npl-plan.ts, keeps the DNAT rules in its own nftables table (`ip kube-local-npl`, removed at down)
// and writes the Pods' `nodeportlocal.antrea.io` annotation. Args: one JSON object (NplAgentConfig).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse } from 'yaml';
import { NPL_ANNOTATION, nplRuleset, planNpl, type NplPod, type NplService } from './npl-plan.js';

export interface NplAgentConfig {
  kubeconfig: string;
  node: string;
  nodeIp: string;
  table: string;
}

const config = JSON.parse(process.argv[2] ?? '{}') as NplAgentConfig;
const log = (m: string) => process.stderr.write(`${new Date().toISOString()} npl-agent: ${m}\n`);

interface Kubeconfig {
  clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
  users: { user: { 'client-certificate-data': string; 'client-key-data': string } }[];
}
const kc = parse(readFileSync(config.kubeconfig, 'utf8')) as Kubeconfig;
const b64 = (s: string) => Buffer.from(s, 'base64').toString('utf8');
const server = new URL(kc.clusters[0]!.cluster.server);
const tls = {
  ca: b64(kc.clusters[0]!.cluster['certificate-authority-data']),
  cert: b64(kc.users[0]!.user['client-certificate-data']),
  key: b64(kc.users[0]!.user['client-key-data']),
};

function call(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<{ status: number; body: string }> {
  const data = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: server.hostname, port: server.port, path, method, ...tls, timeout: 10000, headers: data ? { 'content-type': contentType, 'content-length': Buffer.byteLength(data) } : {} },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(data);
  });
}

interface Obj {
  metadata?: { name?: string; namespace?: string; resourceVersion?: string };
}
const id = (o: Obj) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

/** A list + watch of PATH into STORE (relisting whenever the watch ends); calls onChange after every change. */
async function informer<T extends Obj>(path: string, store: Map<string, T>, onChange: () => void): Promise<never> {
  const sep = path.includes('?') ? '&' : '?';
  for (;;) {
    try {
      const list = await call('GET', path);
      if (list.status !== 200) throw new Error(`GET ${path}: ${list.status} ${list.body.slice(0, 200)}`);
      const parsed = JSON.parse(list.body) as { items: T[]; metadata: { resourceVersion: string } };
      store.clear();
      for (const o of parsed.items) store.set(id(o), o);
      onChange();
      await new Promise<void>((resolve, reject) => {
        const req = request(
          { host: server.hostname, port: server.port, path: `${path}${sep}watch=1&allowWatchBookmarks=true&resourceVersion=${parsed.metadata.resourceVersion}`, ...tls },
          (res) => {
            if (res.statusCode !== 200) {
              res.resume();
              reject(new Error(`watch ${path}: ${res.statusCode}`));
              return;
            }
            let buf = '';
            res.setEncoding('utf8');
            res.on('data', (c: string) => {
              buf += c;
              let nl: number;
              while ((nl = buf.indexOf('\n')) >= 0) {
                const line = buf.slice(0, nl);
                buf = buf.slice(nl + 1);
                if (!line.trim()) continue;
                let ev: { type: string; object: T };
                try {
                  ev = JSON.parse(line) as { type: string; object: T };
                } catch {
                  // Never crash on a bad line (the supervisor would stop the cluster): relist instead.
                  return req.destroy(new Error(`watch ${path}: unreadable event ${line.slice(0, 100)}`));
                }
                if (ev.type === 'ADDED' || ev.type === 'MODIFIED') store.set(id(ev.object), ev.object);
                else if (ev.type === 'DELETED') store.delete(id(ev.object));
                else if (ev.type === 'ERROR') return req.destroy(new Error(`watch ${path}: ${JSON.stringify(ev.object)}`));
                else continue;
                onChange();
              }
            });
            res.on('end', () => resolve());
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end();
      });
    } catch (err) {
      log(String(err));
      await sleep(1000);
    }
  }
}

const pods = new Map<string, NplPod & Obj>();
const services = new Map<string, NplService & Obj>();
let allocations = new Map<string, number>();
let appliedRuleset = '';
let timer: NodeJS.Timeout | undefined;
let running = false;
let again = false;

async function reconcile(): Promise<void> {
  if (running) {
    again = true;
    return;
  }
  running = true;
  try {
    do {
      again = false;
      const plan = planNpl(pods.values(), services.values(), config.nodeIp, allocations);
      allocations = plan.allocations;
      for (const u of plan.unallocated) log(`no free node port for ${u}`);
      const ruleset = nplRuleset(config.table, plan.rules);
      if (ruleset !== appliedRuleset) {
        execFileSync('nft', ['-f', '-'], { input: ruleset, stdio: ['pipe', 'pipe', 'pipe'] });
        appliedRuleset = ruleset;
        log(`${plan.rules.length} DNAT rule(s): ${plan.rules.map((r) => `${r.nodePort}/${r.protocol}->${r.podIP}:${r.podPort}`).join(' ')}`);
      }
      // The rules first, then the annotations: a load balancer that reads an annotation finds the port open.
      for (const [k, value] of plan.annotations) {
        const pod = pods.get(k);
        if (!pod || (pod.metadata?.annotations?.[NPL_ANNOTATION] ?? null) === value) continue;
        const [ns, name] = k.split('/') as [string, string];
        const res = await call('PATCH', `/api/v1/namespaces/${ns}/pods/${name}`, { metadata: { annotations: { [NPL_ANNOTATION]: value } } }, 'application/merge-patch+json');
        if (res.status === 200) {
          pods.set(k, JSON.parse(res.body) as NplPod & Obj);
        } else if (res.status !== 404) {
          log(`annotating pod ${k}: ${res.status} ${res.body.slice(0, 200)}`);
          again = true;
          await sleep(500);
        }
      }
    } while (again);
  } catch (err) {
    log(`reconcile failed: ${String(err)}`);
    schedule(1000);
  } finally {
    running = false;
  }
}

function schedule(delay = 50): void {
  if (timer) return;
  timer = setTimeout(() => {
    timer = undefined;
    void reconcile();
  }, delay);
}

process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));
log(`watching pods on ${config.node} (node IP ${config.nodeIp}) and services; table ip ${config.table}`);
void informer(`/api/v1/pods?fieldSelector=${encodeURIComponent(`spec.nodeName=${config.node}`)}`, pods, () => schedule());
void informer('/api/v1/services', services, () => schedule());
