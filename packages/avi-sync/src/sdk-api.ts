// avi-sync's view of a controller, on the Avi SDK client: the adapter both operators use.
import { isAviError, type AviClient } from '@avi-k8s/avi-sdk';
import type { SyncApi } from './execute.js';
import type { AviBody, ObjectKey } from './types.js';

type ObjectPath = Parameters<AviClient['create']>[0];

export interface SdkSyncApiOptions {
  /** Counts each write attempt (metrics, the zero-writes-on-restart property). */
  onWrite?: (op: 'create' | 'update' | 'delete', type: string) => void;
  /** Receives the controller's answer to each create/update (e.g. the VIP it allocated for a VsVip). */
  onStored?: (key: ObjectKey, stored: AviBody) => void;
  /** Adjusts an update's body before it is written (e.g. keep what the controller allocated). */
  prepareUpdate?: (req: ObjectKey & { readonly uuid: string }, body: AviBody) => Promise<AviBody> | AviBody;
}

/**
 * Bodies are already checked by the translators' tests against the strict models; the SDK does not re-validate them,
 * nor the answers (only the uuid and a VsVip's VIP are read from them).
 */
export function sdkSyncApi(client: AviClient, options: SdkSyncApiOptions = {}): SyncApi {
  const { onWrite = () => {}, onStored = () => {} } = options;
  const write = async (key: ObjectKey, uuid: string, body: AviBody): Promise<void> => {
    const prepared = options.prepareUpdate ? await options.prepareUpdate({ ...key, uuid }, body) : body;
    onStored(key, (await client.update(key.type as ObjectPath, uuid, prepared as never, { tenant: key.tenant, validate: false, checkAnswer: false })) as AviBody);
  };
  return {
    async create({ tenant, type, name, body }) {
      onWrite('create', type);
      try {
        const created = (await client.create(type as ObjectPath, body as never, { tenant, validate: false, checkAnswer: false })) as AviBody;
        onStored({ tenant, type, name }, created);
        return { uuid: String(created.uuid) };
      } catch (err) {
        // Left by an earlier attempt whose answer was lost, or by an instance with another identity: adopt it.
        if (isAviError(err) && err.status === 409) {
          const existing = (await client.getByName(type as ObjectPath, name, { tenant })) as AviBody | undefined;
          if (existing?.uuid) {
            await write({ tenant, type, name }, String(existing.uuid), body);
            return { uuid: String(existing.uuid) };
          }
        }
        throw err;
      }
    },
    async update({ tenant, type, name, uuid, body }) {
      onWrite('update', type);
      await write({ tenant, type, name }, uuid, body);
      return { uuid };
    },
    async delete({ tenant, type, uuid }) {
      onWrite('delete', type);
      await client.delete(type as ObjectPath, uuid, { tenant, notFoundOk: true });
    },
  };
}
