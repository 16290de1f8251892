#!/usr/bin/env node
// Lists over a link with latency: an operator's informers list through packages/kube (HTTP/2 reads, h2.ts) from an
// apiserver that is not next to it (AMKO's member clusters, a managed control plane in another zone). A TCP proxy
// holds every chunk for --delay-ms each way. The floor, measured in the same run: the same lists with no delay, plus
// one round trip per page (a page cannot come sooner than its request's round trip). What is left above the floor
// is the client waiting for data it has not allowed the server to send yet (HTTP/2 flow-control windows).
//   npm run bench:list-latency -- [--objects 4000] [--object-kib 1] [--page 500] [--delay-ms 10] [--lists 3]
import { connect, createServer, type Server, type Socket } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { readFileSync } from 'node:fs';
import { forEachLimit, kubeConfigFromString, loadKubeConfigFile, rawKube, type KubeConfig } from '@avi-k8s/kube';
import { down, up } from '@avi-k8s/kube-local';
import { benchFlags, percentile, printReport } from './report.js';

const flags = benchFlags('list-latency.js [--objects 4000] [--object-kib 1] [--page 500] [--delay-ms 10] [--lists 3]', ['objects', 'object-kib', 'page', 'delay-ms', 'lists']);
const OBJECTS = flags.count('objects', 4000);
const OBJECT_KIB = flags.count('object-kib', 1);
const PAGE = flags.count('page', 500);
const DELAY_MS = flags.count('delay-ms', 10);
const LISTS = flags.count('lists', 3);
const NS = 'bench-list';
const log = (s: string) => process.stderr.write(`bench: ${s}\n`);

/** A TCP proxy to TARGET that holds every chunk DELAY_MS before passing it on, in order, both ways. */
function delayProxy(target: URL): Promise<{ server: Server; port: number }> {
  const hold = (from: Socket, to: Socket) => {
    from.on('data', (chunk) => setTimeout(() => to.writable && to.write(chunk), DELAY_MS));
    from.on('end', () => setTimeout(() => to.end(), DELAY_MS));
    from.on('error', () => to.destroy());
  };
  const server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    // Nagle's algorithm would add its own waits to the delayed writes: the link's latency is DELAY_MS, no more.
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    hold(client, upstream);
    hold(upstream, client);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port })));
}

/** Lists every ConfigMap of NS in pages of PAGE: the seconds it took and the pages. */
async function listAll(kc: KubeConfig): Promise<{ s: number; pages: number; items: number }> {
  const t0 = performance.now();
  let pages = 0;
  let items = 0;
  let token: string | undefined;
  do {
    const query = `limit=${PAGE}${token ? `&continue=${encodeURIComponent(token)}` : ''}`;
    const list = (await rawKube(kc).request('GET', `/api/v1/namespaces/${NS}/configmaps?${query}`)) as { items: unknown[]; metadata: { continue?: string } };
    pages++;
    items += list.items.length;
    token = list.metadata.continue || undefined;
  } while (token);
  return { s: (performance.now() - t0) / 1000, pages, items };
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'list-bench-'));
  const cluster = await up({ name: 'bench', dir });
  let proxy: Server | undefined;
  try {
    const direct = loadKubeConfigFile(cluster.kubeconfig);
    await rawKube(direct).request('POST', '/api/v1/namespaces', { metadata: { name: NS } });
    log(`creating ${OBJECTS} ConfigMaps of ${OBJECT_KIB} KiB`);
    const data = 'x'.repeat(OBJECT_KIB * 1024);
    await forEachLimit(Array.from({ length: OBJECTS }, (_, i) => i), 16, (i) =>
      rawKube(direct).request('POST', `/api/v1/namespaces/${NS}/configmaps`, { metadata: { name: `cm-${i}` }, data: { v: data } }, undefined, { answer: false }).then(() => undefined),
    );
    const server = direct.getCurrentCluster()!.server;
    const p = await delayProxy(new URL(server));
    proxy = p.server;
    // The same identity and CA through the proxy (the apiserver's certificate names 127.0.0.1).
    const delayed = kubeConfigFromString(readFileSync(cluster.kubeconfig, 'utf8').replaceAll(server, `https://127.0.0.1:${p.port}`), dirname(cluster.kubeconfig));
    const run = async (kc: KubeConfig, what: string) => {
      await listAll(kc); // the connection, its TLS handshake and the apiserver's watch cache warm
      const times: number[] = [];
      let pages = 0;
      for (let i = 0; i < LISTS; i++) {
        const r = await listAll(kc);
        if (r.items !== OBJECTS) throw new Error(`${what}: listed ${r.items} ConfigMaps, not ${OBJECTS}`);
        times.push(r.s);
        pages = r.pages;
        log(`${what} list ${i + 1}: ${r.s.toFixed(3)} s, ${r.pages} pages`);
      }
      return { median: percentile(times.sort((a, b) => a - b), 50), pages };
    };
    const near = await run(direct, 'no delay');
    const far = await run(delayed, `${DELAY_MS} ms each way`);
    const roundTrips = (far.pages * 2 * DELAY_MS) / 1000;
    const floor = near.median + roundTrips;
    printReport('list-latency', {
      objects: OBJECTS,
      object_kib: OBJECT_KIB,
      page: PAGE,
      pages: far.pages,
      delay_ms_each_way: DELAY_MS,
      list_no_delay_s: near.median,
      list_delayed_s: far.median,
      floor_s: floor,
      delayed_over_floor: far.median / floor,
      round_trips_per_page: (far.median - near.median) / roundTrips,
    });
  } finally {
    proxy?.close();
    await down(dir).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
