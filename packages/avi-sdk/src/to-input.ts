// GET-modify-PUT: turn an object read from the controller into a body the strict input schema accepts.
import type { z } from 'zod';
import { OBJECT_SCHEMAS } from './models/index.js';
import type { AviObjectPath, AviObjectTypes } from './models/index.js';
import { dropUndeclaredFields } from './model-walk.js';

/**
 * Drop the fields the swagger does not declare (controllers add some, e.g. `server_count`, `vh_child_vs_uuid`)
 * and check the rest against the input schema. Throws an Error naming the offending fields otherwise.
 */
export function toInput<T extends AviObjectPath>(type: T, obj: Record<string, unknown>): AviObjectTypes[T]['input'] {
  const schema = (OBJECT_SCHEMAS as Record<string, { input: z.ZodType } | undefined>)[type];
  if (!schema) throw new Error(`unknown Avi object type ${JSON.stringify(type)}`);
  const r = schema.input.safeParse(dropUndeclaredFields(type, obj));
  if (!r.success) {
    const issues = r.error.issues.map((i) => `${i.path.map(String).join('.') || '(body)'}: ${i.message}`).join('; ');
    throw new Error(`${type} object does not fit the input model: ${issues}`);
  }
  return r.data as AviObjectTypes[T]['input'];
}
