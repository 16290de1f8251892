// Typed operations on top of the session: get/list/getByName/create/update/patch/delete, macro, runtime.
import type { z } from 'zod';
import { AviError } from './errors.js';
import type { AviObjectPath, AviObjectTypes } from './models/index.js';
import { createSession } from './session.js';
import type { QueryParams, Session, SessionOptions } from './session.js';
import type { RawResponse } from '@avi-k8s/http1';

export type ObjectInput<T extends AviObjectPath> = AviObjectTypes[T]['input'];
export type ObjectOutput<T extends AviObjectPath> = AviObjectTypes[T]['output'];
export type SingletonPath = 'cluster' | 'systemconfiguration' | 'controllerproperties';
export type PatchOp = 'add' | 'replace' | 'delete';

export interface CallOptions {
  /** X-Avi-Tenant for this call (`*` = all tenants on reads) */
  tenant?: string;
}

export interface ReadOptions extends CallOptions {
  /** ask for `#name` on every ref */
  includeName?: boolean;
  /** extra query parameters: filters (`cloud_ref.name`, `created_by`, `name.contains`, ...), `fields`, ... */
  params?: QueryParams;
  /** check each object read against the output model (default: the client's `validate`); false: parsed JSON as is */
  checkAnswer?: boolean;
}

export interface ListOptions extends ReadOptions {
  /** page size sent to the controller (1..200), default 100 */
  pageSize?: number;
}

export interface WriteOptions extends CallOptions {
  /** validate the body with the strict input schema (default: the client's `validate`) */
  validate?: boolean;
  /**
   * check the controller's answer against the output model (default: the client's `validate`); false returns the
   * answer as parsed JSON, for callers that read a field or two of thousands of answers (the check copies each)
   */
  checkAnswer?: boolean;
}

export interface CreateOptions extends WriteOptions {
  /** ask the controller to use this uuid (`Slug` header) */
  forceUuid?: string;
}

export interface DeleteOptions extends CallOptions {
  /** a 404 means "already gone": resolve to false instead of throwing */
  notFoundOk?: boolean;
}

export interface ListResult<T> {
  /** total number of matching objects (the controller's `count`) */
  count: number;
  results: T[];
}

export interface InitialData {
  version?: { Version?: string; build?: number; Tag?: string; [k: string]: unknown };
  [k: string]: unknown;
}

export interface RawRequest extends CallOptions {
  query?: QueryParams;
  body?: unknown;
  headers?: Record<string, string>;
  /** safe to repeat after an ambiguous failure; defaults to true except for POST */
  idempotent?: boolean;
}

export interface AviClientOptions extends SessionOptions {
  /** validate request bodies with the strict input schemas and responses with the output schemas (default true) */
  validate?: boolean;
}

export interface AviClient {
  get<T extends AviObjectPath>(type: T, uuid: string, opts?: ReadOptions): Promise<ObjectOutput<T>>;
  /** undefined when no object has that name; an invalid-input AviError when several do */
  getByName<T extends AviObjectPath>(type: T, name: string, opts?: ReadOptions): Promise<ObjectOutput<T> | undefined>;
  /** every page, following `next` */
  list<T extends AviObjectPath>(type: T, opts?: ListOptions): Promise<ListResult<ObjectOutput<T>>>;
  iterate<T extends AviObjectPath>(type: T, opts?: ListOptions): AsyncGenerator<ObjectOutput<T>>;
  /** singleton types (GET /api/cluster, /api/systemconfiguration, /api/controllerproperties) */
  getSingleton<T extends SingletonPath>(type: T, opts?: ReadOptions): Promise<ObjectOutput<T>>;
  create<T extends AviObjectPath>(type: T, body: ObjectInput<T>, opts?: CreateOptions): Promise<ObjectOutput<T>>;
  /** PUT: full replacement */
  update<T extends AviObjectPath>(
    type: T,
    uuid: string,
    body: ObjectInput<T>,
    opts?: WriteOptions,
  ): Promise<ObjectOutput<T>>;
  patch<T extends AviObjectPath>(
    type: T,
    uuid: string,
    op: PatchOp,
    body: Partial<ObjectInput<T>>,
    opts?: WriteOptions,
  ): Promise<ObjectOutput<T>>;
  /** true when deleted, false when it was already gone and `notFoundOk` */
  delete(type: AviObjectPath, uuid: string, opts?: DeleteOptions): Promise<boolean>;
  /** POST /api/macro {model_name, data} (or PUT/DELETE) */
  macro(modelName: string, data: unknown, opts?: CallOptions & { method?: 'POST' | 'PUT' | 'DELETE' }): Promise<unknown>;
  /** GET /api/<type>/<uuid>/runtime/[<sub>/] */
  runtime(type: AviObjectPath, uuid: string, sub?: string, opts?: CallOptions): Promise<unknown>;
  initialData(): Promise<InitialData>;
  /** escape hatch for paths without a typed operation; returns the parsed JSON body (undefined when empty) */
  request(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, req?: RawRequest): Promise<unknown>;
  login(): Promise<void>;
  logout(): Promise<void>;
  /** logout and close the connections */
  close(): Promise<void>;
  readonly apiVersion: string | undefined;
  readonly session: Session;
}

type ObjectSchemas = Record<string, { input: z.ZodObject; output: z.ZodType } | undefined>;
// The generated models are loaded the first time a body or an answer is checked, not with the client: they are
// ~10 MiB of V8 heap and ~15-30 MiB RSS, which callers that check nothing (the operators' sync) need not carry.
let objectSchemas: Promise<ObjectSchemas> | undefined;
const loadSchemas = (): Promise<ObjectSchemas> => (objectSchemas ??= import('./models/index.js').then((m) => m.OBJECT_SCHEMAS as ObjectSchemas));

export function createAviClient(options: AviClientOptions): AviClient {
  const session = createSession(options);
  const validateByDefault = options.validate !== false;
  const partials = new Map<string, z.ZodType>();

  const schemasOf = async (type: string) => {
    const s = (await loadSchemas())[type];
    if (!s) throw new Error(`unknown Avi object type ${JSON.stringify(type)}`);
    return s;
  };

  async function checkInput(type: string, method: string, path: string, body: unknown, partial: boolean): Promise<void> {
    const s = await schemasOf(type);
    let schema: z.ZodType = s.input;
    if (partial) {
      schema = partials.get(type) ?? s.input.partial();
      partials.set(type, schema);
    }
    const r = schema.safeParse(body);
    if (!r.success) {
      const issues = r.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
      throw new AviError({
        method,
        path,
        status: 0,
        controllerMessage: `invalid ${type} body: ${issues}`,
        code: 'EINVALIDBODY',
        kind: 'invalid-input',
      });
    }
  }

  function parseBody(res: RawResponse, method: string, path: string): unknown {
    // an empty (or blank) answer is no value; JSON answers start with `{` or `[`, so the blank check rarely reads
    // more than one character (trim() copied every body)
    if (isBlank(res.body)) return undefined;
    try {
      return JSON.parse(res.body);
    } catch (e) {
      throw new AviError({
        method,
        path,
        status: res.status,
        controllerMessage: 'response body is not JSON',
        body: res.body,
        kind: 'unexpected',
        cause: e,
      });
    }
  }

  async function parseObject<T extends AviObjectPath>(type: T, value: unknown, method: string, path: string): Promise<ObjectOutput<T>> {
    if (!validateByDefault) return value as ObjectOutput<T>;
    const r = (await schemasOf(type)).output.safeParse(value);
    if (!r.success) {
      const issues = r.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
      throw new AviError({
        method,
        path,
        status: 200,
        controllerMessage: `response does not match the ${type} model: ${issues}`,
        kind: 'unexpected',
      });
    }
    return r.data as ObjectOutput<T>;
  }

  const readQuery = (opts: ReadOptions | undefined, extra?: QueryParams): QueryParams | undefined =>
    opts?.params === undefined && extra === undefined && !opts?.includeName
      ? undefined
      : { ...opts?.params, ...extra, ...(opts?.includeName ? { include_name: 'true' } : {}) };
  const tenantOf = (opts: CallOptions | undefined) => (opts?.tenant !== undefined ? { tenant: opts.tenant } : {});
  const objectPath = (type: string, uuid: string) => `/api/${type}/${encodeURIComponent(uuid)}`;

  async function getPage(path: string, query: QueryParams | undefined, opts: CallOptions | undefined) {
    const res = await session.call({ method: 'GET', path, ...(query ? { query } : {}), idempotent: true, ...tenantOf(opts) });
    const body = parseBody(res, 'GET', path) as { count?: unknown; results?: unknown; next?: unknown } | undefined;
    if (!body || !Array.isArray(body.results)) {
      throw new AviError({
        method: 'GET',
        path,
        status: res.status,
        controllerMessage: 'collection response without a results list',
        body: res.body,
        kind: 'unexpected',
      });
    }
    return {
      count: typeof body.count === 'number' ? body.count : body.results.length,
      results: body.results as unknown[],
      next: typeof body.next === 'string' && body.next.length > 0 ? body.next : undefined,
    };
  }

  // Every page of a collection, following `next` (an absolute URL as the controller sees itself: keep its path
  // and query, use our origin). `count` is the total; the last page has no `next`.
  async function* pages(type: AviObjectPath, opts: ListOptions | undefined) {
    const pageSize = opts?.pageSize ?? 100;
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 200) {
      throw new Error(`pageSize must be an integer in 1..200, got ${pageSize}`);
    }
    let path = `/api/${type}`;
    let query: QueryParams | undefined = readQuery(opts, { page_size: pageSize });
    const seen = new Set<string>();
    for (;;) {
      const page = await getPage(path, query, opts);
      yield { ...page, path };
      if (!page.next) return;
      const next = new URL(page.next, session.origin);
      const key = next.pathname + next.search;
      if (seen.has(key)) {
        throw new AviError({
          method: 'GET',
          path,
          status: 200,
          controllerMessage: `paging loops: next repeats ${key}`,
          kind: 'unexpected',
        });
      }
      seen.add(key);
      path = key;
      query = undefined;
    }
  }

  async function* iterate<T extends AviObjectPath>(type: T, opts?: ListOptions): AsyncGenerator<ObjectOutput<T>> {
    for await (const page of pages(type, opts)) {
      for (const item of page.results) yield opts?.checkAnswer === false ? (item as ObjectOutput<T>) : await parseObject(type, item, 'GET', page.path);
    }
  }

  async function list<T extends AviObjectPath>(type: T, opts?: ListOptions): Promise<ListResult<ObjectOutput<T>>> {
    const results: ObjectOutput<T>[] = [];
    let count: number | undefined;
    for await (const page of pages(type, opts)) {
      count ??= page.count;
      for (const item of page.results) results.push(opts?.checkAnswer === false ? (item as ObjectOutput<T>) : await parseObject(type, item, 'GET', page.path));
    }
    return { count: count ?? results.length, results };
  }

  async function getByName<T extends AviObjectPath>(
    type: T,
    name: string,
    opts?: ReadOptions,
  ): Promise<ObjectOutput<T> | undefined> {
    const path = `/api/${type}`;
    const page = await getPage(path, readQuery(opts, { name }), opts);
    if (page.results.length === 0) return undefined;
    if (page.results.length > 1 || page.count > 1) {
      throw new AviError({
        method: 'GET',
        path,
        status: 200,
        controllerMessage: `more than one ${type} is named ${JSON.stringify(name)}`,
        kind: 'invalid-input',
      });
    }
    return parseObject(type, page.results[0], 'GET', path);
  }

  const client: AviClient = {
    async get(type, uuid, opts) {
      const path = objectPath(type, uuid);
      const query = readQuery(opts);
      const res = await session.call({ method: 'GET', path, ...(query ? { query } : {}), idempotent: true, ...tenantOf(opts) });
      return parseObject(type, parseBody(res, 'GET', path), 'GET', path);
    },

    getByName,
    list,
    iterate,

    async getSingleton(type, opts) {
      const path = `/api/${type}`;
      const query = readQuery(opts);
      const res = await session.call({ method: 'GET', path, ...(query ? { query } : {}), idempotent: true, ...tenantOf(opts) });
      return parseObject(type, parseBody(res, 'GET', path), 'GET', path);
    },

    async create(type, body, opts) {
      const path = `/api/${type}`;
      if (opts?.validate ?? validateByDefault) await checkInput(type, 'POST', path, body, false);
      const name = (body as { name?: unknown }).name;
      const res = await session.call({
        method: 'POST',
        path,
        body,
        idempotent: false,
        ...tenantOf(opts),
        ...(opts?.forceUuid !== undefined ? { headers: { Slug: opts.forceUuid } } : {}),
        // Never repeat a create blindly: after a timeout or reset, look for the object by name first.
        ...(typeof name === 'string'
          ? {
              recover: async (): Promise<RawResponse | undefined> => {
                const found = await getPage(path, { name }, opts);
                if (found.results.length !== 1) return undefined;
                return { status: 200, headers: {}, body: JSON.stringify(found.results[0]) };
              },
            }
          : {}),
      });
      const created = parseBody(res, 'POST', path);
      return opts?.checkAnswer === false ? (created as ObjectOutput<typeof type>) : parseObject(type, created, 'POST', path);
    },

    async update(type, uuid, body, opts) {
      const path = objectPath(type, uuid);
      if (opts?.validate ?? validateByDefault) await checkInput(type, 'PUT', path, body, false);
      const res = await session.call({ method: 'PUT', path, body, idempotent: true, ...tenantOf(opts) });
      const stored = parseBody(res, 'PUT', path);
      return opts?.checkAnswer === false ? (stored as ObjectOutput<typeof type>) : parseObject(type, stored, 'PUT', path);
    },

    async patch(type, uuid, op, body, opts) {
      const path = objectPath(type, uuid);
      if (opts?.validate ?? validateByDefault) await checkInput(type, 'PATCH', path, body, true);
      // add appends to lists, so a repeated add is not harmless; replace and delete are.
      const res = await session.call({ method: 'PATCH', path, body: { [op]: body }, idempotent: op !== 'add', ...tenantOf(opts) });
      return parseObject(type, parseBody(res, 'PATCH', path), 'PATCH', path);
    },

    async delete(type, uuid, opts) {
      const path = objectPath(type, uuid);
      try {
        await session.call({ method: 'DELETE', path, idempotent: true, ...tenantOf(opts) });
        return true;
      } catch (e) {
        if (opts?.notFoundOk && e instanceof AviError && e.status === 404) return false;
        throw e;
      }
    },

    async macro(modelName, data, opts) {
      const method = opts?.method ?? 'POST';
      const res = await session.call({
        method,
        path: '/api/macro',
        body: { model_name: modelName, data },
        idempotent: method !== 'POST',
        ...tenantOf(opts),
      });
      return parseBody(res, method, '/api/macro');
    },

    async runtime(type, uuid, sub, opts) {
      const path = `${objectPath(type, uuid)}/runtime/${sub ? `${sub.replace(/^\/+|\/+$/g, '')}/` : ''}`;
      const res = await session.call({ method: 'GET', path, idempotent: true, ...tenantOf(opts) });
      return parseBody(res, 'GET', path);
    },

    async initialData() {
      const path = '/api/initial-data';
      const res = await session.call({ method: 'GET', path, idempotent: true });
      return (parseBody(res, 'GET', path) ?? {}) as InitialData;
    },

    async request(method, path, req) {
      const res = await session.call({
        method,
        path,
        idempotent: req?.idempotent ?? method !== 'POST',
        ...(req?.query ? { query: req.query } : {}),
        ...(req?.body !== undefined ? { body: req.body } : {}),
        ...(req?.headers ? { headers: req.headers } : {}),
        ...tenantOf(req),
      });
      return parseBody(res, method, path);
    },

    login: () => session.login(),
    logout: () => session.logout(),
    close: () => session.close(),
    get apiVersion() {
      return session.apiVersion;
    },
    session,
  };
  return client;
}

function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // the characters String.prototype.trim removes that can start a body: space, \t \n \v \f \r, NBSP, BOM
    if (c !== 0x20 && (c < 0x09 || c > 0x0d) && c !== 0xa0 && c !== 0xfeff) return /^\s*$/.test(text.slice(i));
  }
  return true;
}
