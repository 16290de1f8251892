// Model types only: the schemas, metadata and helpers that need them are values of `@avi-k8s/avi-sdk/models`
// (models-api.ts), loaded only by who uses them.
export type * from './models/index.js';
export type { RefOccurrence } from './model-walk.js';
export { createAviClient } from './client.js';
export type {
  AviClient,
  AviClientOptions,
  CallOptions,
  CreateOptions,
  DeleteOptions,
  InitialData,
  ListOptions,
  ListResult,
  ObjectInput,
  ObjectOutput,
  PatchOp,
  RawRequest,
  ReadOptions,
  SingletonPath,
  WriteOptions,
} from './client.js';
export { AviError, classify, controllerMessageFromBody, isAviError } from './errors.js';
export type { AviErrorKind } from './errors.js';
export { parseRef, refByName, refByUuid, uuidFromRef, nameFromRef } from './refs.js';
export type { ParsedRef } from './refs.js';
export { DEFAULT_RETRY, parseRetryAfter, retryDecision } from './retry.js';
export type { RetryPolicy } from './retry.js';
export type { CallEvent, QueryParams, Session, SessionOptions } from './session.js';
export { MAX_API_VERSION, capVersion, compareVersions } from './version.js';
export { createLimiter } from './limiter.js';
export type { Limiter } from './limiter.js';
// The keep-alive HTTPS exchange under the session, without session logic (the benchmarks' bare floor client).
export { TransportError, createPool, send, targetOf } from '@avi-k8s/http1';
export type { ConnectionPool, RawResponse, Target, TransportOptions } from '@avi-k8s/http1';
