// Input validation the operators run on a CR before using it: the same rules as the CRD's schema.
import type { z } from 'zod';
import { findCrdKind } from './kinds.js';

export type ParseResult<T = unknown> = { ok: true; value: T } | { ok: false; error: string };

/** A field path written the way the apiserver writes it: `spec.paths[0].target`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out ? `.${String(seg)}` : String(seg);
  }
  return out || '(root)';
}

/** One entry per problem: `spec.virtualhost.fqdn: Invalid input: expected string, received undefined`. */
export function formatIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${fieldPath(issue.path)}: ${issue.message}`).join('; ');
}

/**
 * Drops object fields whose value is null, as the apiserver does before defaulting (no field of our CRDs is
 * nullable): `fqdnType: null` then means "not set" and gets its default. Nulls inside arrays stay (and fail).
 */
export function dropNullFields(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNullFields);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = dropNullFields(v);
  return out;
}

/** Parses with a given schema, after dropNullFields; never throws. */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown): ParseResult<z.output<S>> {
  const res = schema.safeParse(dropNullFields(input));
  return res.success ? { ok: true, value: res.data } : { ok: false, error: formatIssues(res.error) };
}

/**
 * Validates any of our custom resources, chosen by its apiVersion and kind. Returns the parsed CR (unknown
 * fields dropped, CRD defaults filled in) or a readable error; never throws.
 */
export function parseCustomResource(input: unknown): ParseResult {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, error: 'a custom resource must be an object' };
  }
  const { apiVersion, kind } = input as { apiVersion?: unknown; kind?: unknown };
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
    return { ok: false, error: 'apiVersion and kind must be strings' };
  }
  const crd = findCrdKind(apiVersion, kind);
  if (!crd) return { ok: false, error: `unknown custom resource ${apiVersion} ${kind}` };
  return parseWith(crd.schema, input);
}
