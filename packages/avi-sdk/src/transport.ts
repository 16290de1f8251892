// The transport (keep-alive TLS pools, one exchange with a hard timeout) lives in @avi-k8s/http1, shared with the
// operators' apiserver writes (packages/kube); the SDK uses it as it was.
export { TransportError, createPool, send, targetOf } from '@avi-k8s/http1';
export type { ConnectionPool, RawResponse, Target, TransportOptions } from '@avi-k8s/http1';
