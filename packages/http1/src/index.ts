export { HeaderError, ProtocolError, ResponseParser, requestHead } from './http1.js';
export type { ParsedResponse } from './http1.js';
export { TransportError, createPool, send, targetOf } from './transport.js';
export type { ConnectionPool, RawResponse, Target, TransportOptions } from './transport.js';
