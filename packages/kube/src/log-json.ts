/**
 * JSON text of one log record, as the operators' lines always were (logform's json format, which is
 * safe-stable-stringify with its defaults): object keys sorted at every depth, a value met again inside itself
 * as the string "[Circular]", a bigint as a string, toJSON honoured (a Date as its ISO text), undefined, functions
 * and symbols left out of objects and null in arrays, non-finite numbers as null. One line: no indentation.
 */
export function logJson(value: unknown): string {
  return stringify('', value, []) ?? 'null';
}

function stringify(key: string, value: unknown, ancestors: object[]): string | undefined {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    value = (value as { toJSON: (k: string) => unknown }).toJSON(key);
  }
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return JSON.stringify(value.toString());
    case 'object':
      if (value === null) return 'null';
      if (ancestors.includes(value)) return '"[Circular]"';
      return Array.isArray(value) ? array(value, ancestors) : object(value, ancestors);
    default:
      return undefined;
  }
}

function array(value: readonly unknown[], ancestors: object[]): string {
  if (value.length === 0) return '[]';
  ancestors.push(value);
  let out = '[';
  for (let i = 0; i < value.length; i++) {
    if (i > 0) out += ',';
    out += stringify(String(i), value[i], ancestors) ?? 'null';
  }
  ancestors.pop();
  return out + ']';
}

function object(value: object, ancestors: object[]): string {
  const keys = Object.keys(value);
  // A typed array's index keys stay in index order (as safe-stable-stringify leaves them).
  if (!ArrayBuffer.isView(value)) keys.sort();
  if (keys.length === 0) return '{}';
  ancestors.push(value);
  let out = '{';
  for (const k of keys) {
    const v = stringify(k, (value as Record<string, unknown>)[k], ancestors);
    if (v === undefined) continue;
    if (out.length > 1) out += ',';
    out += `${JSON.stringify(k)}:${v}`;
  }
  ancestors.pop();
  return out + '}';
}
