// Certificate generation on POST /api/sslkeyandcertificate: a body with `certificate.self_signed: true`, a
// `certificate.subject` and no PEM gets a new key (key_params: RSA 2048 by default, or EC) and a self-signed
// certificate for that subject (and `subject_alt_names`), valid `certificate.days_until_expire` days (365).

import { createSelfSigned, type SelfSignedRequest } from '@avi-k8s/pki';
import { ApiError } from '../http.js';
import type { Obj } from '../store/store.js';

const DN: Record<string, string> = { common_name: 'CN', organization: 'O', organization_unit: 'OU', locality: 'L', state: 'ST', country: 'C', email_address: 'E' };
const RSA_BITS: Record<string, 2048 | 3072 | 4096> = { SSL_KEY_2048_BITS: 2048, SSL_KEY_3072_BITS: 3072, SSL_KEY_4096_BITS: 4096 };
const EC_CURVE: Record<string, 'P-256' | 'P-384'> = { SSL_KEY_EC_CURVE_SECP256R1: 'P-256', SSL_KEY_EC_CURVE_SECP384R1: 'P-384' };

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function wantsGeneration(body: unknown): boolean {
  if (!isObj(body) || !isObj(body.certificate)) return false;
  const c = body.certificate;
  return c.self_signed === true && (typeof c.certificate !== 'string' || c.certificate.trim() === '');
}

function keySpec(params: unknown): SelfSignedRequest['key'] {
  const p = isObj(params) ? params : {};
  const algorithm = p.algorithm ?? 'SSL_KEY_ALGORITHM_RSA';
  if (algorithm === 'SSL_KEY_ALGORITHM_EC') {
    const curve = EC_CURVE[String((isObj(p.ec_params) ? p.ec_params.curve : undefined) ?? 'SSL_KEY_EC_CURVE_SECP256R1')];
    if (!curve) throw new ApiError(400, `Unsupported EC curve ${String(isObj(p.ec_params) ? p.ec_params.curve : '')}`);
    return { type: 'EC', curve };
  }
  if (algorithm !== 'SSL_KEY_ALGORITHM_RSA') throw new ApiError(400, `Unsupported key algorithm ${String(algorithm)}`);
  const size = String((isObj(p.rsa_params) ? p.rsa_params.key_size : undefined) ?? 'SSL_KEY_2048_BITS');
  const bits = RSA_BITS[size];
  if (!bits) throw new ApiError(400, `Unsupported RSA key size ${size}`);
  return { type: 'RSA', bits };
}

/** Fills `certificate.certificate` and `key` of a generation request (in a copy). */
export async function generateInto(body: Obj): Promise<Obj> {
  const out = structuredClone(body);
  const cert = out.certificate as Obj;
  const subj = isObj(cert.subject) ? cert.subject : {};
  if (typeof subj.common_name !== 'string' || subj.common_name === '') throw new ApiError(400, 'SSLKeyAndCertificate: certificate.subject.common_name is required to generate a certificate');
  const subject: Record<string, string> = {};
  for (const [k, attr] of Object.entries(DN)) if (typeof subj[k] === 'string' && subj[k] !== '') subject[attr] = subj[k] as string;
  const days = cert.days_until_expire === undefined ? 365 : Number(cert.days_until_expire);
  if (!Number.isInteger(days) || days < 1 || days > 3650) throw new ApiError(400, 'SSLKeyAndCertificate: certificate.days_until_expire must be 1-3650');
  const sans = Array.isArray(cert.subject_alt_names) ? cert.subject_alt_names.filter((s): s is string => typeof s === 'string') : [];
  const made = await createSelfSigned({ subject, dnsNames: sans.length > 0 ? sans : [subj.common_name], days, key: keySpec(out.key_params) });
  cert.certificate = made.certPem;
  out.key = made.keyPem;
  out.status ??= 'SSL_CERTIFICATE_FINISHED';
  return out;
}
