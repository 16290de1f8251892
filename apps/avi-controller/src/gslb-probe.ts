// One health-monitor check of a GSLB member, as a DNS service engine sends it: TCP (connect, optional request and
// expected response), HTTP/HTTPS (the monitor's request line, Host = the GslbService's FQDN, response code classes,
// optional keyword and maintenance keyword in the first 2 KB), UDP (request, expected answer or ICMP unreachable) and
// PING (the VIP is placed: the data plane listens on it). Resolves with undefined when the check passed, else why
// it failed. SAFETY: only loopback addresses are ever dialled (the data plane's rule); the caller checks too.

import { createSocket } from 'node:dgram';
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { isLoopback } from './dataplane/balance.js';

type Obj = Record<string, unknown>;

export interface ProbeTarget {
  addr: string;
  port: number;
  /** The GslbService's first domain name (HTTP Host header, TLS SNI). */
  fqdn: string | undefined;
  timeoutMs: number;
}

export const NOT_LOOPBACK = 'not a loopback address: never probed by the local data plane';
const KEEP = 2048;

/** The port a monitor checks: its monitor_port, else the usual port of its type. */
export function monitorPort(hm: Obj): number {
  if (typeof hm.monitor_port === 'number' && hm.monitor_port > 0) return hm.monitor_port;
  return ({ HEALTH_MONITOR_HTTPS: 443, HEALTH_MONITOR_UDP: 53, HEALTH_MONITOR_DNS: 53 } as Record<string, number>)[String(hm.type)] ?? 80;
}

/** Monitor types this controller can check; others are not probed (they count as up). */
export const PROBED_TYPES = new Set(['HEALTH_MONITOR_TCP', 'HEALTH_MONITOR_HTTP', 'HEALTH_MONITOR_HTTPS', 'HEALTH_MONITOR_UDP', 'HEALTH_MONITOR_PING']);

export function probe(hm: Obj, t: ProbeTarget, placed: (addr: string) => boolean): Promise<string | undefined> {
  if (!isLoopback(t.addr)) return Promise.resolve(NOT_LOOPBACK);
  switch (hm.type) {
    case 'HEALTH_MONITOR_PING':
      return Promise.resolve(placed(t.addr) ? undefined : `no virtual service placed on ${t.addr}`);
    case 'HEALTH_MONITOR_UDP':
      return probeUdp((hm.udp_monitor ?? {}) as Obj, t);
    case 'HEALTH_MONITOR_HTTP':
    case 'HEALTH_MONITOR_HTTPS':
      return probeHttp(hm, t);
    default:
      return probeTcp((hm.tcp_monitor ?? {}) as Obj, t);
  }
}

/** Connects (TLS when asked), writes REQUEST, reads up to 2 KB or until DONE says enough; ends with JUDGE's verdict. */
function exchange(t: ProbeTarget, tls: boolean, request: string | undefined, done: (got: string) => boolean, judge: (got: string) => string | undefined): Promise<string | undefined> {
  return new Promise((resolve) => {
    let finished = false;
    let got = '';
    const sock: Socket = tls
      ? tlsConnect({ host: t.addr, port: t.port, rejectUnauthorized: false, ...(t.fqdn ? { servername: t.fqdn } : {}) })
      : netConnect({ host: t.addr, port: t.port });
    const finish = (err: string | undefined) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      sock.destroy();
      resolve(err);
    };
    const timer = setTimeout(() => finish(got ? judge(got) ?? undefined : `no response within ${t.timeoutMs} ms`), t.timeoutMs);
    sock.once(tls ? 'secureConnect' : 'connect', () => {
      if (request === undefined) return finish(undefined);
      sock.write(request);
    });
    sock.on('data', (b: Buffer) => {
      got += b.toString('latin1');
      if (got.length >= KEEP || done(got)) finish(judge(got.slice(0, KEEP)));
    });
    sock.on('end', () => finish(got ? judge(got.slice(0, KEEP)) : 'connection closed without a response'));
    sock.on('error', (e) => finish(e.message));
  });
}

function probeTcp(m: Obj, t: ProbeTarget): Promise<string | undefined> {
  const request = typeof m.tcp_request === 'string' && m.tcp_request !== '' ? m.tcp_request : undefined;
  const expect = typeof m.tcp_response === 'string' && m.tcp_response !== '' ? m.tcp_response : undefined;
  const maint = typeof m.maintenance_response === 'string' && m.maintenance_response !== '' ? m.maintenance_response : undefined;
  if (request === undefined && expect === undefined) return exchange(t, false, undefined, () => true, () => undefined);
  const judge = (got: string) => (maint && got.includes(maint) ? 'maintenance response' : expect && !got.includes(expect) ? `response lacks "${expect}"` : undefined);
  return exchange(t, false, request ?? '', (got) => (expect ? got.includes(expect) : true), judge);
}

const CODE_CLASSES: Record<string, (c: number) => boolean> = {
  HTTP_ANY: () => true,
  HTTP_1XX: (c) => c >= 100 && c < 200,
  HTTP_2XX: (c) => c >= 200 && c < 300,
  HTTP_3XX: (c) => c >= 300 && c < 400,
  HTTP_4XX: (c) => c >= 400 && c < 500,
  HTTP_5XX: (c) => c >= 500 && c < 600,
};

/** The request an HTTP(S) monitor sends: its http_request line (default `GET / HTTP/1.0`) plus Host unless given. */
export function httpRequestText(m: Obj, fqdn: string | undefined): string {
  const raw = typeof m.http_request === 'string' && m.http_request.trim() !== '' ? m.http_request.trim() : 'GET / HTTP/1.0';
  const lines = raw.split(/\r?\n/).filter((l) => l !== '');
  const exact = m.exact_http_request === true;
  const hasHost = lines.slice(1).some((l) => /^host\s*:/i.test(l));
  if (!exact && !hasHost && fqdn) lines.push(`Host: ${fqdn}`);
  if (!exact && !lines.slice(1).some((l) => /^connection\s*:/i.test(l))) lines.push('Connection: close');
  return `${lines.join('\r\n')}\r\n\r\n`;
}

function probeHttp(hm: Obj, t: ProbeTarget): Promise<string | undefined> {
  const m = ((hm.type === 'HEALTH_MONITOR_HTTPS' ? hm.https_monitor : hm.http_monitor) ?? {}) as Obj;
  const codes = Array.isArray(m.http_response_code) && m.http_response_code.length > 0 ? (m.http_response_code as string[]) : ['HTTP_2XX'];
  const keyword = typeof m.http_response === 'string' && m.http_response !== '' ? m.http_response : undefined;
  const maint = typeof m.maintenance_response === 'string' && m.maintenance_response !== '' ? m.maintenance_response : undefined;
  const judge = (got: string): string | undefined => {
    const status = /^HTTP\/\d(?:\.\d)?\s+(\d{3})/.exec(got);
    if (!status) return 'not an HTTP response';
    const code = Number(status[1]);
    if (!codes.some((c) => CODE_CLASSES[c]?.(code))) return `response code ${code} not in ${codes.join(',')}`;
    if (maint && got.includes(maint)) return 'maintenance response';
    if (keyword && !got.includes(keyword)) return `response lacks "${keyword}"`;
    return undefined;
  };
  // Without keywords the status line is enough.
  const enough = (got: string) => !keyword && !maint && /\r?\n/.test(got);
  return exchange(t, hm.type === 'HEALTH_MONITOR_HTTPS', httpRequestText(m, t.fqdn), enough, judge);
}

function probeUdp(m: Obj, t: ProbeTarget): Promise<string | undefined> {
  const request = typeof m.udp_request === 'string' ? m.udp_request : '';
  const expect = typeof m.udp_response === 'string' && m.udp_response !== '' ? m.udp_response : undefined;
  return new Promise((resolve) => {
    const sock = createSocket(t.addr.includes(':') ? 'udp6' : 'udp4');
    let finished = false;
    const finish = (err: string | undefined) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      sock.close();
      resolve(err);
    };
    // No answer is a pass unless an answer is expected; an ICMP unreachable (ECONNREFUSED) is a failure.
    const timer = setTimeout(() => finish(expect ? `no response within ${t.timeoutMs} ms` : undefined), t.timeoutMs);
    sock.on('error', (e) => finish(e.message));
    sock.on('message', (b) => finish(expect && !b.toString('latin1').includes(expect) ? `response lacks "${expect}"` : undefined));
    sock.connect(t.port, t.addr, () => sock.send(request || '\n', (e) => e && finish(e.message)));
  });
}
