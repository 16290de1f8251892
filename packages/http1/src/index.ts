export { BodyBytes } from './body.js';
export { HeaderError, ProtocolError, ResponseParser, TooLargeError, requestHead } from './http1.js';
export type { ParsedResponse } from './http1.js';
export { MAX_RESPONSE_BYTES, TransportError, createPool, send, targetOf } from './transport.js';
export type { ConnectionPool, RawResponse, Target, TransportOptions } from './transport.js';
