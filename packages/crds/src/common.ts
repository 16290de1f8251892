// Building blocks shared by the CR schemas. Each zod schema mirrors its CRD's OpenAPI schema field for field
// (types, enums, required, bounds, defaults), so a CR the apiserver accepts also parses here, with the same
// defaults filled in. Unknown fields are dropped, as the apiserver prunes them.
// Every schema is built on first use (z.lazy: its first parse, or the first build of a schema that embeds it), so
// importing this package builds nothing and a caller pays only for the kinds it reads: AMKO reads 4 of the 13 kinds,
// and building them all cost it ~5 MiB of RSS at start (issue 15).
// Every file here imports zod as `* as z`, not `{ z }`: the named `z` is zod's whole namespace as one object, which
// a bundler must keep entire (every locale's messages, JSON Schema conversion: ~400 KB of AMKO's bundle); with the
// namespace import esbuild keeps only the functions used.
import * as z from 'zod';

export const strings = z.lazy(() => z.array(z.string()));

/** An integer in [min, max] (the CRD's `type: integer` with `minimum`/`maximum`). */
export const int = (min?: number, max?: number) => {
  let s = z.number().int();
  if (min !== undefined) s = s.min(min);
  if (max !== undefined) s = s.max(max);
  return s;
};

export const port = z.lazy(() => int(1, 65535));

/** `status` of the ako.vmware.com rule CRDs: `status` is Accepted or Rejected, `error` the reason. */
export const ruleStatusSchema = z.lazy(() =>
  z.object({
    status: z.string().optional(),
    error: z.string().optional(),
  }),
);
export type RuleStatus = z.output<typeof ruleStatusSchema>;

/** The parts of ObjectMeta the operators read; everything else the apiserver returns passes through. */
export const objectMetaSchema = z.lazy(() =>
  z
    .object({
      name: z.string().optional(),
      generateName: z.string().optional(),
      namespace: z.string().optional(),
      uid: z.string().optional(),
      resourceVersion: z.string().optional(),
      generation: z.number().int().optional(),
      labels: z.record(z.string(), z.string()).optional(),
      annotations: z.record(z.string(), z.string()).optional(),
    })
    .loose(),
);
export type ObjectMeta = z.output<typeof objectMetaSchema>;

/** Exactly one of the keys is present (the CRD's `oneOf: [{required: [a]}, {required: [b]}]`). */
export function exactlyOneOf<T extends object>(keys: readonly (keyof T & string)[]) {
  return (value: T, ctx: z.core.$RefinementCtx<T>) => {
    const present = keys.filter((k) => value[k] !== undefined);
    if (present.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message: `exactly one of ${keys.join(', ')} must be set (found ${present.length ? present.join(', ') : 'none'})`,
        input: value,
      });
    }
  };
}

/**
 * The whole custom resource: apiVersion/kind fixed to the CRD's. Pass `spec` already wrapped in `.optional()`
 * when the CRD does not require it.
 */
export function customResource<
  Spec extends z.ZodType,
  Status extends z.ZodType,
  const Versions extends readonly [string, ...string[]],
  const Kind extends string,
>(opts: { apiVersions: Versions; kind: Kind; spec: Spec; status: Status }) {
  return z.object({
    apiVersion: z.enum(opts.apiVersions),
    kind: z.literal(opts.kind),
    metadata: objectMetaSchema,
    spec: opts.spec,
    status: opts.status.optional(),
  });
}
