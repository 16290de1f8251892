import { request } from 'node:https';
import type { ControllerProcess } from './controller-process.js';

/** The controller's Prometheus text (its /metrics needs no login). */
export function controllerMetrics(ctl: Pick<ControllerProcess, 'url' | 'caPem'>): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(`${ctl.url}/metrics`, { ca: ctl.caPem }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The object writes (POST/PUT/PATCH/DELETE, login and logout aside) the controller has answered, by `METHOD type`. */
export async function controllerWritesByType(ctl: Pick<ControllerProcess, 'url' | 'caPem'>): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const line of (await controllerMetrics(ctl)).split('\n')) {
    const m = /^avi_controller_requests_total\{([^}]*)\} (\d+)/.exec(line);
    if (!m || !/method="(POST|PUT|PATCH|DELETE)"/.test(m[1]!) || /object_type="(login|logout)"/.test(m[1]!)) continue;
    const key = `${/method="([A-Z]+)"/.exec(m[1]!)![1]} ${/object_type="([^"]*)"/.exec(m[1]!)?.[1] ?? ''}`;
    out[key] = (out[key] ?? 0) + Number(m[2]);
  }
  return out;
}

/** How many object writes (login and logout aside) the controller has answered. */
export async function controllerWrites(ctl: Pick<ControllerProcess, 'url' | 'caPem'>): Promise<number> {
  return Object.values(await controllerWritesByType(ctl)).reduce((a, b) => a + b, 0);
}

/** What grew between two counts by key (keys that did not change left out). */
export function countsDiff(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(after).map(([k, n]) => [k, n - (before[k] ?? 0)]).filter(([, n]) => n !== 0));
}
