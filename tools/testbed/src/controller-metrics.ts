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

/** How many object writes (POST/PUT/PATCH/DELETE, login and logout aside) the controller has answered. */
export async function controllerWrites(ctl: Pick<ControllerProcess, 'url' | 'caPem'>): Promise<number> {
  let total = 0;
  for (const line of (await controllerMetrics(ctl)).split('\n')) {
    const m = /^avi_controller_requests_total\{([^}]*)\} (\d+)/.exec(line);
    if (m && /method="(POST|PUT|PATCH|DELETE)"/.test(m[1]!) && !/object_type="(login|logout)"/.test(m[1]!)) total += Number(m[2]);
  }
  return total;
}
