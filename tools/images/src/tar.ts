// A reproducible tar writer (POSIX ustar, with pax headers for names or link targets over 100 bytes): the entries
// are written in the order given, every one with the same mtime, owner and group unless set, and nothing from the
// machine that builds it (no user names, no atime, no device numbers).

export type TarEntry =
  | { type: 'file'; path: string; data: Buffer; mode?: number; uid?: number; gid?: number }
  | { type: 'dir'; path: string; mode?: number; uid?: number; gid?: number }
  | { type: 'symlink'; path: string; target: string };

const BLOCK = 512;

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

function header(fields: { name: string; mode: number; uid: number; gid: number; size: number; mtime: number; type: string; linkname: string }): Buffer {
  const h = Buffer.alloc(BLOCK);
  h.write(fields.name, 0, 100, 'utf8');
  h.write(octal(fields.mode, 8), 100, 'ascii');
  h.write(octal(fields.uid, 8), 108, 'ascii');
  h.write(octal(fields.gid, 8), 116, 'ascii');
  h.write(octal(fields.size, 12), 124, 'ascii');
  h.write(octal(fields.mtime, 12), 136, 'ascii');
  h.write(' '.repeat(8), 148, 'ascii');
  h.write(fields.type, 156, 'ascii');
  h.write(fields.linkname, 157, 100, 'utf8');
  h.write('ustar\0', 257, 'ascii');
  h.write('00', 263, 'ascii');
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(octal(sum, 7) + ' ', 148, 'ascii');
  return h;
}

const padding = (size: number) => Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);

/** One pax record: "<length> <key>=<value>\n", where length counts the whole record, its own digits included. */
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let length = Buffer.byteLength(body) + 1;
  while (String(length).length + Buffer.byteLength(body) !== length) length = String(length).length + Buffer.byteLength(body);
  return `${length}${body}`;
}

/** The archive of ENTRIES (in this order), all with modification time MTIME (seconds since the epoch). */
export function tarArchive(entries: TarEntry[], mtime: number): Buffer {
  const out: Buffer[] = [];
  for (const e of entries) {
    const name = e.type === 'dir' && !e.path.endsWith('/') ? `${e.path}/` : e.path;
    const linkname = e.type === 'symlink' ? e.target : '';
    const pax: string[] = [];
    if (Buffer.byteLength(name) > 100) pax.push(paxRecord('path', name));
    if (Buffer.byteLength(linkname) > 100) pax.push(paxRecord('linkpath', linkname));
    if (pax.length) {
      const data = Buffer.from(pax.join(''));
      out.push(header({ name: 'PaxHeader', mode: 0o644, uid: 0, gid: 0, size: data.length, mtime, type: 'x', linkname: '' }), data, padding(data.length));
    }
    const short = (s: string) => (Buffer.byteLength(s) > 100 ? Buffer.from(s).subarray(0, 100).toString('utf8') : s);
    const owner = e.type === 'symlink' ? { uid: 0, gid: 0 } : { uid: e.uid ?? 0, gid: e.gid ?? 0 };
    if (e.type === 'file') {
      out.push(header({ name: short(name), mode: e.mode ?? 0o644, ...owner, size: e.data.length, mtime, type: '0', linkname: '' }), e.data, padding(e.data.length));
    } else if (e.type === 'dir') {
      out.push(header({ name: short(name), mode: e.mode ?? 0o755, ...owner, size: 0, mtime, type: '5', linkname: '' }));
    } else {
      out.push(header({ name: short(name), mode: 0o777, ...owner, size: 0, mtime, type: '2', linkname: short(linkname) }));
    }
  }
  out.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(out);
}

/**
 * ENTRIES sorted by path, with an entry for every parent directory that has none (mode 0755, root), so that an
 * unpacked layer has the same tree whatever order the files were found in.
 */
export function withParentsSorted(entries: TarEntry[]): TarEntry[] {
  const byPath = new Map<string, TarEntry>();
  for (const e of entries) byPath.set(e.path.replace(/\/+$/, ''), { ...e, path: e.path.replace(/\/+$/, '') });
  for (const path of [...byPath.keys()]) {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (!byPath.has(dir)) byPath.set(dir, { type: 'dir', path: dir });
    }
  }
  return [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
