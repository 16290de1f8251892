// SSLKeyAndCertificate: the controller parses the PEM and fills the certificate's metadata; a
// certificate that does not parse is refused with 500 "Import error" (spec §3.6, pitfall 22).

import { X509Certificate } from 'node:crypto';
import { ApiError } from '../http.js';

type Obj = Record<string, unknown>;

const NAMES: Record<string, string> = { CN: 'common_name', O: 'organization', OU: 'organization_unit', L: 'locality', ST: 'state', C: 'country', emailAddress: 'email_address' };

function describe(dn: string): Obj {
  const out: Obj = {};
  const parts: string[] = [];
  for (const line of dn.split('\n')) {
    const i = line.indexOf('=');
    if (i < 0) continue;
    const k = line.slice(0, i);
    const v = line.slice(i + 1);
    parts.push(`${k}=${v}`);
    const name = NAMES[k];
    if (name) out[name] = v;
  }
  out.distinguished_name = parts.join(', ');
  return out;
}

function when(d: string): string {
  return new Date(d).toISOString().replace('T', ' ').replace(/\.\d+Z$/, '');
}

/** Fills `certificate` metadata from `certificate.certificate` (PEM), in place. */
export function parseCertificateInto(obj: Obj, now = Date.now()): void {
  const cert = obj.certificate as Obj | undefined;
  if (!cert || typeof cert !== 'object') throw new ApiError(400, 'SSLKeyAndCertificate: field certificate is required');
  const pem = cert.certificate;
  if (typeof pem !== 'string' || pem.trim() === '') {
    if (obj.status === 'SSL_CERTIFICATE_PENDING') return;
    throw new ApiError(400, 'SSLKeyAndCertificate: certificate.certificate (PEM) is required');
  }
  let x: X509Certificate;
  try {
    x = new X509Certificate(pem);
  } catch (e) {
    throw new ApiError(500, `Import error: cannot parse the certificate of ${String(obj.name)}: ${(e as Error).message}; common_name not found`);
  }
  const notAfter = Date.parse(x.validTo);
  const days = Math.floor((notAfter - now) / 86400000);
  cert.subject = describe(x.subject);
  cert.issuer = describe(x.issuer);
  cert.not_before = when(x.validFrom);
  cert.not_after = when(x.validTo);
  cert.serial_number = BigInt(`0x${x.serialNumber}`).toString();
  cert.fingerprint = `SHA1 Fingerprint=${x.fingerprint}\n`;
  cert.self_signed = x.subject === x.issuer;
  cert.expiry_status = days < 0 ? 'SSL_CERTIFICATE_EXPIRED' : days < 30 ? 'SSL_CERTIFICATE_EXPIRY_WARNING' : 'SSL_CERTIFICATE_GOOD';
  cert.days_until_expire = days;
  if (x.subjectAltName) cert.subject_alt_names = x.subjectAltName.split(', ').map((s) => s.replace(/^(DNS|IP Address):/, ''));
  const key = x.publicKey;
  const type = key.asymmetricKeyType;
  if (type === 'rsa') {
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 2048;
    obj.key_params = { algorithm: 'SSL_KEY_ALGORITHM_RSA', rsa_params: { key_size: `SSL_KEY_${bits}_BITS`, exponent: 65537 } };
  } else if (type === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve === 'secp384r1' ? 'SSL_KEY_EC_CURVE_SECP384R1' : 'SSL_KEY_EC_CURVE_SECP256R1';
    obj.key_params = { algorithm: 'SSL_KEY_ALGORITHM_EC', ec_params: { curve } };
  }
}
