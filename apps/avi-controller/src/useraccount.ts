// /api/useraccount: the logged-in user's own account. GET shows it; PUT changes its password (with the current
// one as `old_password`), full name or email, as the official SDKs' password-change calls do.

import { ApiError, parseJsonBody } from './http.js';
import type { Ctl, ReqCtx } from './context.js';
import { newTx, type Obj } from './store/store.js';
import { update } from './objects/write.js';
import { render } from './objects/render.js';
import { userEntry } from './authz.js';
import { json, type Reply } from './reply.js';

export async function handleUserAccount(ctl: Ctl, method: string, raw: Buffer, rc: ReqCtx, checkPassword: (u: string, p: string) => boolean): Promise<Reply> {
  const user = userEntry(ctl, rc.username);
  if (!user) throw new ApiError(404, 'User object not found!');
  if (method === 'GET') return json(200, render(ctl, user, { base: rc.base, includeName: true, version: rc.version }));
  if (method !== 'PUT' && method !== 'PATCH') throw new ApiError(405, `Method "${method}" not allowed.`);
  const body = parseJsonBody(raw);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ApiError(400, 'Request body must be a JSON object');
  const b = body as Obj;
  if (b.username !== undefined && b.username !== rc.username) throw new ApiError(403, 'Cannot change the account of another user');
  const next: Obj = { ...user.obj };
  if (b.password !== undefined) {
    if (typeof b.password !== 'string' || b.password === '') throw new ApiError(400, 'password must be a non-empty string');
    if (typeof b.old_password !== 'string' || !checkPassword(rc.username, b.old_password)) throw new ApiError(400, 'Old password is incorrect');
    next.password = b.password;
  }
  for (const k of ['full_name', 'email'] as const) if (typeof b[k] === 'string') next[k] = b[k];
  const tx = newTx();
  let out;
  try {
    out = update(ctl, tx, ctl.registry.get('user')!, user, next, { tenant: 'admin' });
  } catch (e) {
    ctl.store.rollback(tx);
    throw e;
  }
  await ctl.commit(tx);
  return json(200, render(ctl, out, { base: rc.base, includeName: true, version: rc.version }));
}
