// avi-sync's view of the controller, on the Avi SDK client.
import { isAviError, type AviClient } from '@avi-k8s/avi-sdk';
import type { AviBody, ObjectKey, SyncApi } from '@avi-k8s/avi-sync';

type ObjectPath = Parameters<AviClient['create']>[0];
type Obj = Record<string, unknown>;

/** Keeps the addresses the controller allocated when a VsVip is rewritten (a PUT must not move a VIP). */
export function keepAllocatedAddresses(desired: AviBody, current: AviBody): AviBody {
  const currentVips = Array.isArray(current.vip) ? (current.vip as Obj[]) : [];
  if (!Array.isArray(desired.vip)) return desired;
  const vip = (desired.vip as Obj[]).map((v) => {
    const now = currentVips.find((c) => String(c.vip_id ?? '0') === String(v.vip_id ?? '0'));
    if (!now || !v.auto_allocate_ip) return v;
    const kept: Obj = { ...v };
    if (!kept.ip_address && now.ip_address) kept.ip_address = now.ip_address;
    if (!kept.ip6_address && now.ip6_address) kept.ip6_address = now.ip6_address;
    return kept;
  });
  return { ...desired, vip };
}

/** Counts of writes by type and operation, for metrics and the zero-writes-on-restart property. */
export type WriteListener = (op: 'create' | 'update' | 'delete', type: string) => void;

/** Receives the controller's answer to each write (e.g. the VIP it allocated for a VsVip). */
export type StoredListener = (key: ObjectKey, stored: AviBody) => void;

export function syncApi(client: AviClient, onWrite: WriteListener = () => {}, onStored: StoredListener = () => {}): SyncApi {
  return {
    async create({ tenant, type, name, body }) {
      onWrite('create', type);
      try {
        const created = (await client.create(type as ObjectPath, body as never, { tenant, validate: false })) as Obj;
        onStored({ tenant, type, name }, created);
        return { uuid: String(created.uuid) };
      } catch (err) {
        // Created by an earlier attempt whose answer was lost, or by someone else under our name: adopt it.
        if (isAviError(err) && err.status === 409) {
          const existing = (await client.getByName(type as ObjectPath, name, { tenant })) as Obj | undefined;
          if (existing?.uuid) {
            onStored({ tenant, type, name }, (await client.update(type as ObjectPath, String(existing.uuid), body as never, { tenant, validate: false })) as AviBody);
            return { uuid: String(existing.uuid) };
          }
        }
        throw err;
      }
    },
    async update({ tenant, type, name, uuid, body }) {
      onWrite('update', type);
      let next = body;
      if (type === 'vsvip') next = keepAllocatedAddresses(body, (await client.get('vsvip', uuid, { tenant })) as AviBody);
      onStored({ tenant, type, name }, (await client.update(type as ObjectPath, uuid, next as never, { tenant, validate: false })) as AviBody);
      return { uuid };
    },
    async delete({ tenant, type, uuid }) {
      onWrite('delete', type);
      await client.delete(type as ObjectPath, uuid, { tenant, notFoundOk: true });
    },
  };
}
