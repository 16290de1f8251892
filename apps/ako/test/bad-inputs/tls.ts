/**
 * TLS Secrets: garbage, empty, expired, not yet valid, wrong host, the key of another certificate, encrypted keys,
 * text around the PEM, key and certificate swapped, a missing Secret, a Secret without tls.key, a TLS entry without
 * secretName, a TLS host with no rule. Fixture PEMs from fixtures/tls (see make.sh there). Three of each, in the misc
 * namespace and two teams' namespaces. Pure.
 */
import { ingress, kase, tlsSecret } from './make.js';
import type { Rng } from './rng.js';
import type { BadCase, CorpusContext, Manifest } from './types.js';

export function tlsCases(ctx: CorpusContext, r: Rng): BadCase[] {
  const p = ctx.pems;
  const out: BadCase[] = [];
  const kinds: [string, BadCase['expect'], string, (host: string) => { crt: string; key: string } | undefined][] = [
    ['garbage', 'warning', 'garbage in tls.crt and tls.key', () => ({ crt: 'garbage', key: 'garbage' })],
    ['empty', 'warning', 'empty tls.crt and tls.key', () => ({ crt: '', key: '' })],
    ['badpem', 'warning', 'a PEM block whose body is not a certificate', () => ({ crt: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n', key: p['good.key']! })],
    ['expired', 'warning', 'expired certificate', () => ({ crt: p['expired.crt']!, key: p['expired.key']! })],
    ['future', 'warning', 'certificate not yet valid', () => ({ crt: p['future.crt']!, key: p['future.key']! })],
    ['wronghost', 'warning', 'certificate for another host', () => ({ crt: p['cn-only.crt']!, key: p['cn-only.key']! })],
    ['mismatch', 'warning', 'the key of another certificate', () => ({ crt: p['good.crt']!, key: p['other.key']! })],
    ['enc8', 'warning', 'passphrase-protected PKCS#8 key', () => ({ crt: p['good.crt']!, key: p['encrypted-pkcs8.key']! })],
    ['encrsa', 'warning', 'passphrase-protected traditional RSA key', () => ({ crt: p['good.crt']!, key: p['encrypted-rsa.key']! })],
    ['trailing', 'warning', 'text after the PEM', () => ({ crt: `${p['good.crt']!}trailing garbage\n`, key: p['good.key']! })],
    ['leading', 'warning', 'text before the PEM', () => ({ crt: `Bag Attributes\n${p['good.crt']!}`, key: p['good.key']! })],
    ['swapped', 'warning', 'certificate and key swapped', () => ({ crt: p['good.key']!, key: p['good.crt']! })],
    ['keyonly', 'warning', 'tls.key missing (Opaque Secret)', () => undefined],
    ['missing', 'warning', 'the Secret does not exist', () => undefined],
    ['nosecretname', 'warning', 'TLS entry without secretName', () => undefined],
    ['good', 'visible', 'a good certificate covering the host (wildcard SAN)', () => ({ crt: p['good.crt']!, key: p['good.key']! })],
    ['chain', 'visible', 'a good certificate followed by another certificate', () => ({ crt: p['good.crt']! + p['cn-only.crt']!, key: p['good.key']! })],
  ];
  const namespaces = [ctx.misc, ctx.teams[3]!, ctx.teams[4]!];
  namespaces.forEach((ns, j) => {
    for (const [k, expect, note, pem] of kinds) {
      const host = `tls-${k}-${j}${r.label(3)}.wild.example.com`;
      const name = `tls-${k}`;
      const secret = `${name}-s`;
      const objects: Manifest[] = [];
      const pair = pem(host);
      if (pair) objects.push(tlsSecret(ns, secret, pair.crt, pair.key));
      if (k === 'keyonly') objects.push({ kind: 'Secret', metadata: { name: secret, namespace: ns }, type: 'Opaque', stringData: { 'tls.crt': p['good.crt']! } });
      const tls = k === 'nosecretname' ? [{ hosts: [host] }] : [{ hosts: [host], secretName: k === 'missing' ? `absent-${r.label(4)}` : secret }];
      objects.push(ingress(ctx, ns, name, host, [{ path: '/' }], { tls }));
      out.push(kase(`${name}-${j}`, 'tls', expect, note, objects));
    }
    // A TLS entry for a host no rule names: nothing to serve it with.
    const stray = `tls-stray-${j}${r.label(3)}.wild.example.com`;
    out.push(
      kase(`tls-stray-${j}`, 'tls', 'warning', 'TLS host that no rule names', [
        tlsSecret(ns, 'tls-stray-s', p['good.crt']!, p['good.key']!),
        ingress(ctx, ns, 'tls-stray', `tls-rule-${j}${r.label(3)}.wild.example.com`, [{ path: '/' }], { tls: [{ hosts: [stray], secretName: 'tls-stray-s' }] }),
      ]),
    );
  });
  return out;
}
