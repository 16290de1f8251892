// Durability: a snapshot (written atomically: temp file, fsync, rename) plus an append-only journal of
// JSON lines. A write is acknowledged only after its journal records are on disk (group commit: the
// records of concurrent requests share one write + fdatasync). Corruption is reported, never reset.

import { promises as fsp, openSync, writeSync, fsyncSync, closeSync, renameSync, readFileSync, existsSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { join, dirname } from 'node:path';
import type { Entry, JournalRecord } from './store.js';

export const SNAPSHOT_FILE = 'objects.snapshot.json';
export const JOURNAL_FILE = 'objects.journal';

export class DataCorruptError extends Error {}

export interface LoadedState {
  records: JournalRecord[];
  /** A last journal line cut short by a crash (never acknowledged), dropped. */
  tornTail: boolean;
}

/** Writes a file atomically: temp file in the same directory, fsync, rename, fsync of the directory. */
export function writeFileAtomic(path: string, data: string | Buffer, mode = 0o644): void {
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w', mode);
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  try {
    const dfd = openSync(dirname(path), 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  } catch {
    // Some filesystems refuse fsync on a directory; the rename is still atomic.
  }
}

function isRecord(v: unknown): v is JournalRecord {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  if (r.op === 'put') return typeof r.type === 'string' && typeof r.obj === 'object' && r.obj !== null && typeof (r.obj as Record<string, unknown>).uuid === 'string';
  if (r.op === 'del') return typeof r.uuid === 'string';
  return false;
}

/** Reads the snapshot and the journal of a data dir; throws DataCorruptError naming the file and the line. */
export function loadState(dataDir: string): LoadedState {
  const records: JournalRecord[] = [];
  const snapPath = join(dataDir, SNAPSHOT_FILE);
  if (existsSync(snapPath)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(snapPath, 'utf8'));
    } catch (e) {
      throw new DataCorruptError(`data file ${snapPath} is corrupted (${(e as Error).message}); refusing to start. Restore it from a backup or move it away to start empty.`);
    }
    const objects = (parsed as { objects?: unknown }).objects;
    if (!Array.isArray(objects)) throw new DataCorruptError(`data file ${snapPath} is corrupted (no "objects" list); refusing to start.`);
    for (const [i, o] of objects.entries()) {
      const rec = { op: 'put', ...(o as object) };
      if (!isRecord(rec)) throw new DataCorruptError(`data file ${snapPath} is corrupted (object #${i} is malformed); refusing to start.`);
      records.push(rec);
    }
  }
  let tornTail = false;
  const jPath = join(dataDir, JOURNAL_FILE);
  if (existsSync(jPath)) {
    const text = readFileSync(jPath, 'utf8');
    const lines = text.split('\n');
    const endsClean = text.endsWith('\n') || text.length === 0;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      if (line === '') continue;
      const last = i === lines.length - 1;
      let rec: unknown;
      try {
        rec = JSON.parse(line);
      } catch (e) {
        if (last && !endsClean) {
          tornTail = true;
          break;
        }
        throw new DataCorruptError(`data file ${jPath} is corrupted at line ${i + 1} (${(e as Error).message}); refusing to start.`);
      }
      if (!isRecord(rec)) throw new DataCorruptError(`data file ${jPath} is corrupted at line ${i + 1} (not a journal record); refusing to start.`);
      records.push(rec);
    }
  }
  return { records, tornTail };
}

/** Writes a snapshot of every entry and empties the journal. */
export function writeSnapshot(dataDir: string, entries: Iterable<Entry>): void {
  const objects = [];
  for (const e of entries) objects.push({ type: e.type, obj: e.obj });
  // Both hold private keys and password hashes: owner only.
  writeFileAtomic(join(dataDir, SNAPSHOT_FILE), JSON.stringify({ version: 1, objects }), 0o600);
  writeFileAtomic(join(dataDir, JOURNAL_FILE), '', 0o600);
}

export interface Journal {
  append(records: readonly JournalRecord[]): Promise<void>;
  /** Records appended since the last snapshot. */
  readonly length: number;
  compact(entries: Iterable<Entry>): Promise<void>;
  close(): Promise<void>;
}

export async function openJournal(dataDir: string, opts: { fsync: boolean }): Promise<Journal> {
  const path = join(dataDir, JOURNAL_FILE);
  let fh: FileHandle = await fsp.open(path, 'a', 0o600);
  // A data dir written before keys were kept private is tightened too.
  await fh.chmod(0o600);
  let pending: string[] = [];
  let waiters: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
  let flushing: Promise<void> | undefined;
  let compacting = false;
  let length = 0;

  async function flushLoop(): Promise<void> {
    while (pending.length > 0) {
      const chunk = pending.join('');
      const ws = waiters;
      pending = [];
      waiters = [];
      try {
        await fh.write(chunk);
        if (opts.fsync) await fh.datasync();
        for (const w of ws) w.resolve();
      } catch (e) {
        for (const w of ws) w.reject(e as Error);
      }
    }
    flushing = undefined;
  }

  return {
    get length() {
      return length;
    },
    append(records) {
      if (records.length === 0) return Promise.resolve();
      length += records.length;
      pending.push(records.map((r) => JSON.stringify(r) + '\n').join(''));
      const p = new Promise<void>((resolve, reject) => waiters.push({ resolve, reject }));
      if (!flushing && !compacting) flushing = Promise.resolve().then(flushLoop);
      return p;
    },
    async compact(entries) {
      if (compacting) return;
      compacting = true;
      try {
        while (flushing) await flushing;
        // Records still pending are already applied in memory, so the snapshot holds them; they are
        // appended again after it, which replays idempotently.
        await fh.close();
        writeSnapshot(dataDir, entries);
        fh = await fsp.open(path, 'a', 0o600);
        length = 0;
      } finally {
        compacting = false;
        if (pending.length > 0 && !flushing) flushing = Promise.resolve().then(flushLoop);
      }
    },
    async close() {
      while (flushing) await flushing;
      await fh.close();
    },
  };
}
