// DNS wire format (RFC 1035), pure: parse a query, build the answer. A records only; other types of a known name
// answer NOERROR with no records, unknown names NXDOMAIN, other opcodes NOTIMP, malformed queries FORMERR.

export const TYPE_A = 1;
export const TYPE_AAAA = 28;
export const TYPE_ANY = 255;
export const CLASS_IN = 1;

export const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;

export interface Question {
  /** Lower case, no trailing dot. */
  readonly name: string;
  readonly type: number;
  readonly class: number;
}

export interface Query {
  readonly id: number;
  readonly opcode: number;
  readonly rd: boolean;
  readonly questions: Question[];
  /** The bytes of the question section, echoed in the answer. */
  readonly questionBytes: Buffer;
}

export class DnsFormatError extends Error {
  constructor(
    message: string,
    /** The query id when the header could be read (then a FORMERR answer can be sent). */
    readonly id: number | undefined,
  ) {
    super(message);
  }
}

function readName(buf: Buffer, offset: number): { name: string; next: number } {
  const labels: string[] = [];
  let pos = offset;
  let total = 0;
  for (;;) {
    if (pos >= buf.length) throw new Error('name runs past the end of the message');
    const len = buf[pos]!;
    if (len === 0) {
      pos++;
      break;
    }
    // Queries carry no compression pointers; anything but a plain label is refused.
    if ((len & 0xc0) !== 0) throw new Error('compressed or extended label in a question');
    if (pos + 1 + len > buf.length) throw new Error('label runs past the end of the message');
    labels.push(buf.toString('latin1', pos + 1, pos + 1 + len));
    total += len + 1;
    if (total > 255) throw new Error('name longer than 255 octets');
    pos += 1 + len;
  }
  return { name: labels.join('.').toLowerCase(), next: pos };
}

export function parseQuery(buf: Buffer): Query {
  if (buf.length < 12) throw new DnsFormatError(`message of ${buf.length} bytes is shorter than a DNS header`, undefined);
  const id = buf.readUInt16BE(0);
  const flags = buf.readUInt16BE(2);
  if (flags & 0x8000) throw new DnsFormatError('message is a response, not a query', undefined);
  const opcode = (flags >> 11) & 0xf;
  const rd = (flags & 0x0100) !== 0;
  const qd = buf.readUInt16BE(4);
  const questions: Question[] = [];
  let pos = 12;
  try {
    for (let i = 0; i < qd; i++) {
      const { name, next } = readName(buf, pos);
      if (next + 4 > buf.length) throw new Error('question runs past the end of the message');
      questions.push({ name, type: buf.readUInt16BE(next), class: buf.readUInt16BE(next + 2) });
      pos = next + 4;
    }
  } catch (e) {
    throw new DnsFormatError((e as Error).message, id);
  }
  return { id, opcode, rd, questions, questionBytes: buf.subarray(12, pos) };
}

export interface AnswerSpec {
  readonly rcode: number;
  readonly ttl: number;
  /** IPv4 addresses for A answers. */
  readonly addresses: readonly string[];
  /** Authoritative answer (names the controller holds). */
  readonly authoritative: boolean;
}

/** Largest UDP answer without EDNS (RFC 1035 §4.2.1); larger answers are truncated (TC) over UDP. */
export const UDP_LIMIT = 512;

function ipv4Bytes(addr: string): Buffer | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(addr);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  return parts.every((p) => p <= 255) ? Buffer.from(parts) : undefined;
}

/** Encodes the answer to `q` (one question echoed; A records pointing back at it by compression). */
export function buildResponse(q: Pick<Query, 'id' | 'opcode' | 'rd' | 'questionBytes'> & { questions: readonly Question[] }, a: AnswerSpec, maxBytes = 65535): Buffer {
  const question = q.questions.length === 1 ? q.questionBytes : Buffer.alloc(0);
  const records: Buffer[] = [];
  let size = 12 + question.length;
  let truncated = false;
  for (const addr of a.addresses) {
    const ip = ipv4Bytes(addr);
    if (!ip) continue;
    if (size + 16 > maxBytes) {
      truncated = true;
      break;
    }
    const rr = Buffer.alloc(16);
    rr.writeUInt16BE(0xc00c, 0); // pointer to the question name at offset 12
    rr.writeUInt16BE(TYPE_A, 2);
    rr.writeUInt16BE(CLASS_IN, 4);
    rr.writeUInt32BE(Math.max(0, Math.min(0x7fffffff, Math.floor(a.ttl))), 6);
    rr.writeUInt16BE(4, 10);
    ip.copy(rr, 12);
    records.push(rr);
    size += 16;
  }
  const header = Buffer.alloc(12);
  header.writeUInt16BE(q.id, 0);
  let flags = 0x8000 | ((q.opcode & 0xf) << 11) | (a.rcode & 0xf);
  if (a.authoritative) flags |= 0x0400;
  if (truncated) flags |= 0x0200;
  if (q.rd) flags |= 0x0100;
  header.writeUInt16BE(flags, 2);
  header.writeUInt16BE(question.length > 0 ? 1 : 0, 4);
  header.writeUInt16BE(records.length, 6);
  return Buffer.concat([header, question, ...records]);
}

/** A record set for a name, or undefined when the name is not held. */
export type Resolver = (fqdn: string) => { addresses: string[]; ttl: number } | undefined;

/** The complete answer to one query message (undefined: drop it, e.g. a response or a header-less message). */
export function answerMessage(buf: Buffer, resolve: Resolver, maxBytes = 65535): Buffer | undefined {
  let q: Query;
  try {
    q = parseQuery(buf);
  } catch (e) {
    const id = e instanceof DnsFormatError ? e.id : undefined;
    if (id === undefined) return undefined;
    const flags = buf.readUInt16BE(2);
    return buildResponse({ id, opcode: (flags >> 11) & 0xf, rd: (flags & 0x0100) !== 0, questions: [], questionBytes: Buffer.alloc(0) }, { rcode: RCODE.FORMERR, ttl: 0, addresses: [], authoritative: false });
  }
  const fail = (rcode: number) => buildResponse(q, { rcode, ttl: 0, addresses: [], authoritative: false });
  if (q.opcode !== 0) return fail(RCODE.NOTIMP);
  if (q.questions.length !== 1) return fail(RCODE.FORMERR);
  const question = q.questions[0]!;
  if (question.class !== CLASS_IN && question.class !== TYPE_ANY) return fail(RCODE.REFUSED);
  const rr = resolve(question.name);
  if (!rr) return buildResponse(q, { rcode: RCODE.NXDOMAIN, ttl: 0, addresses: [], authoritative: true }, maxBytes);
  const wantsA = question.type === TYPE_A || question.type === TYPE_ANY;
  return buildResponse(q, { rcode: RCODE.NOERROR, ttl: rr.ttl, addresses: wantsA ? rr.addresses : [], authoritative: true }, maxBytes);
}

/** A query message for `name` (tests and tools). */
export function encodeQuery(id: number, name: string, type = TYPE_A): Buffer {
  const labels = name.replace(/\.$/, '').split('.').filter(Boolean);
  const parts = labels.map((l) => Buffer.concat([Buffer.from([Buffer.byteLength(l, 'latin1')]), Buffer.from(l, 'latin1')]));
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id, 0);
  header.writeUInt16BE(0x0100, 2);
  header.writeUInt16BE(1, 4);
  const tail = Buffer.alloc(5);
  tail.writeUInt8(0, 0);
  tail.writeUInt16BE(type, 1);
  tail.writeUInt16BE(CLASS_IN, 3);
  return Buffer.concat([header, ...parts, tail]);
}

export interface DecodedResponse {
  readonly id: number;
  readonly rcode: number;
  readonly authoritative: boolean;
  readonly truncated: boolean;
  readonly answers: Array<{ type: number; ttl: number; address?: string }>;
}

/** Decodes a response this module builds (tests and tools; answer names are compression pointers). */
export function decodeResponse(buf: Buffer): DecodedResponse {
  const flags = buf.readUInt16BE(2);
  const qd = buf.readUInt16BE(4);
  const an = buf.readUInt16BE(6);
  let pos = 12;
  for (let i = 0; i < qd; i++) pos = readName(buf, pos).next + 4;
  const answers: DecodedResponse['answers'] = [];
  for (let i = 0; i < an; i++) {
    if ((buf[pos]! & 0xc0) === 0xc0) pos += 2;
    else pos = readName(buf, pos).next;
    const type = buf.readUInt16BE(pos);
    const ttl = buf.readUInt32BE(pos + 4);
    const len = buf.readUInt16BE(pos + 8);
    const data = buf.subarray(pos + 10, pos + 10 + len);
    answers.push({ type, ttl, ...(type === TYPE_A && len === 4 ? { address: [...data].join('.') } : {}) });
    pos += 10 + len;
  }
  return { id: buf.readUInt16BE(0), rcode: flags & 0xf, authoritative: (flags & 0x0400) !== 0, truncated: (flags & 0x0200) !== 0, answers };
}
