// The teacher's outputs on disk, shared by every run that distils from the same teacher: the runs of a
// sweep (seeds, methods, label budgets) and a run resumed after a stop skip the teacher's forward pass
// for every example another run already computed, in their first epoch too, and a training set larger
// than the memory budget is read back from disk instead of being recomputed at every step.
//
// A store is a folder per teacher fingerprint (teacherFingerprint.ts: the teacher's config and weights,
// the backend that computes it, the layers kept, the value type), so a changed teacher never meets the
// outputs of the old one. An entry is keyed like the memory cache's (the token ids and types at the
// example's real positions: the exact input of the forward pass), so neither the tokenizer nor the
// maximum length needs to be part of the fingerprint: a different tokenization is a different key.
//
// Files: store.json (what the fingerprint stands for) and shard files, each written whole by one process
// under a temporary name and renamed into place (writeFileAtomic), so concurrent writers never share a
// file and a reader never sees half of one. A shard: the magic 'LRCTOUT1', the header's length (uint32
// LE), the header as JSON ({ format, dtype, layers, hidden, labels, entries: [key, tokens, offset][] }),
// then each entry's values: per layer (tokens, hidden) in the store's dtype, then the logits in float32.
// A shard that cannot be read (cut short, not a shard, another layout) is left out with a warning: the
// store is a cache, and the teacher computes what it lacks.
import { markStoreInUse } from './teacherStoreLimits';
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { float16ToFloat32, float32ToFloat16 } from '../checkpoint/halfFloat';
import { writeFileAtomic, writeJsonAtomic } from '../util/atomicFile';
import type { TeacherFingerprint } from './teacherFingerprint';

export type TeacherStoreDtype = 'float32' | 'float16';

/** One example's teacher outputs: per kept layer (real tokens, hidden) row-major, and the logits. */
export interface TeacherEntry {
  hidden: Float32Array[];
  logits: Float32Array;
}

export interface TeacherStoreOptions {
  dtype: TeacherStoreDtype;
  /** False: read what is there, add nothing (and create no folder). */
  write: boolean;
  /** Stop adding shards once the store's files take this many bytes. */
  maxBytes: number;
  /** Mark the store's folder in use while it is open (trainer/perf/teacherStoreLimits.ts: never pruned then); `run` names the run. */
  inUse?: { run?: string };
  /** Pending entries are written as a shard once they take this many bytes (default 64 MiB). */
  shardBytes?: number;
  /** Where warnings go (a shard left out, the size cap reached). */
  warn?: (message: string) => void;
}

export interface TeacherStoreStats {
  /** Entries in the index (written by any process) and the bytes of the shards indexed. */
  entries: number;
  bytes: number;
  shards: number;
  /** Entries read from disk, and written by this process. */
  reads: number;
  writes: number;
}

const MAGIC = 'LRCTOUT1';
const FORMAT = 1;
const SHARD = /^shard-.+\.bin$/;

interface Located {
  shard: number;
  /** Byte offset of the entry's values in the shard file. */
  offset: number;
  tokens: number;
}

interface ShardHeader {
  format: number;
  dtype: TeacherStoreDtype;
  layers: number[];
  hidden: number;
  labels: number;
  entries: [string, number, number][];
}

export class TeacherOutputStore {
  readonly dir: string;
  private readonly index = new Map<string, Located>();
  private readonly shards: { path: string; fd?: number }[] = [];
  private readonly known = new Set<string>();
  private pending: { key: string; entry: TeacherEntry }[] = [];
  private readonly pendingKeys = new Set<string>();
  private pendingBytes = 0;
  private bytes = 0;
  private reads = 0;
  private writes = 0;
  private sequence = 0;
  private full = false;
  private readonly bytesPerValue: number;

  /** Opens the store of `fingerprint` under `root` (creating it when it writes) and indexes its shards. */
  constructor(root: string, readonly fingerprint: TeacherFingerprint, private readonly options: TeacherStoreOptions) {
    this.dir = teacherStoreDir(root, fingerprint);
    this.bytesPerValue = options.dtype === 'float16' ? 2 : 4;
    if (options.write) {
      mkdirSync(this.dir, { recursive: true });
      const description = join(this.dir, 'store.json');
      if (!existsSync(description)) writeJsonAtomic(description, { format: FORMAT, ...fingerprint.describe, dtype: options.dtype, created: new Date().toISOString() });
    }
    this.full = !options.write;
    if (options.inUse && existsSync(this.dir)) this.releaseUse = markStoreInUse(this.dir, options.inUse.run);
    this.refresh();
  }

  private releaseUse?: () => void;

  private get layers(): readonly number[] {
    return this.fingerprint.layers;
  }

  /** Indexes the shards written since the last call (by this process or another). */
  refresh(): void {
    let names: string[];
    if (!existsSync(this.dir)) return;
    try {
      names = readdirSync(this.dir).filter((n) => SHARD.test(n)).sort();
    } catch (e) {
      this.warn(`teacher-output store ${this.dir}: cannot be listed (${(e as Error).message}); the teacher computes every output`);
      return;
    }
    for (const name of names) {
      if (this.known.has(name)) continue;
      this.known.add(name);
      this.indexShard(join(this.dir, name));
    }
  }

  has(key: string): boolean {
    return this.index.has(key);
  }

  /** The entry of `key` from disk, or undefined when the store does not have it (or cannot read it). */
  read(key: string): TeacherEntry | undefined {
    const at = this.index.get(key);
    if (!at) return undefined;
    const shard = this.shards[at.shard];
    const { hidden: H, labels: C } = this.fingerprint;
    const values = this.layers.length * at.tokens * H;
    const hiddenBytes = values * this.bytesPerValue;
    const bytes = new Uint8Array(hiddenBytes + C * 4); // its own buffer: the views below need no copy
    try {
      shard.fd ??= openSync(shard.path, 'r');
      const got = readSync(shard.fd, bytes, 0, bytes.length, at.offset);
      if (got !== bytes.length) throw new Error(`${got} of ${bytes.length} bytes`);
    } catch (e) {
      this.warn(`teacher-output store: ${shard.path} could not be read (${(e as Error).message}); its entries are computed again`);
      this.forgetShard(at.shard);
      return undefined;
    }
    this.reads += 1;
    const all = this.options.dtype === 'float16' ? float16ToFloat32(new Uint16Array(bytes.buffer, 0, values)) : new Float32Array(bytes.buffer, 0, values);
    const per = at.tokens * H;
    const hidden = this.layers.map((_, k) => all.subarray(k * per, (k + 1) * per));
    // a copy: after float16 values the logits need not start at a multiple of 4 bytes
    const logits = new Float32Array(bytes.buffer.slice(hiddenBytes, hiddenBytes + C * 4));
    return { hidden, logits };
  }

  /** Queues an entry the store lacks; written with the next shard. Values must already be of the store's dtype. */
  add(key: string, entry: TeacherEntry): void {
    if (this.full || this.index.has(key) || this.pendingKeys.has(key)) return;
    this.pending.push({ key, entry });
    this.pendingKeys.add(key);
    this.pendingBytes += this.entryBytes(entry.hidden[0].length / this.fingerprint.hidden);
    if (this.pendingBytes >= (this.options.shardBytes ?? 64 * 2 ** 20)) this.flush();
  }

  /** Writes the pending entries as one shard (atomically) and indexes it. */
  flush(): void {
    if (this.pending.length === 0) return;
    const pending = this.pending;
    this.pending = [];
    this.pendingKeys.clear();
    this.pendingBytes = 0;
    if (this.bytes + this.shardSize(pending) > this.options.maxBytes) {
      this.full = true;
      this.warn(`teacher-output store ${this.dir}: ${mib(this.bytes)} MiB, its cap of ${mib(this.options.maxBytes)} MiB reached; no more outputs are written`);
      return;
    }
    const name = `shard-${hostname()}-${process.pid}-${Date.now().toString(36)}-${this.sequence++}-${Math.random().toString(36).slice(2, 8)}.bin`;
    const path = join(this.dir, name);
    try {
      writeFileAtomic(path, this.encode(pending));
    } catch (e) {
      this.warn(`teacher-output store: ${(e as Error).message}; those outputs stay in memory only`);
      return;
    }
    this.known.add(name);
    this.indexShard(path);
    this.writes += pending.length;
  }

  stats(): TeacherStoreStats {
    return { entries: this.index.size, bytes: this.bytes, shards: this.shards.length, reads: this.reads, writes: this.writes };
  }

  /** Writes what is pending and closes the open files. */
  close(): void {
    try {
      this.flush();
      for (const s of this.shards) {
        if (s.fd !== undefined) closeSync(s.fd);
        s.fd = undefined;
      }
    } finally {
      this.releaseUse?.();
      this.releaseUse = undefined;
    }
  }

  private entryBytes(tokens: number): number {
    return this.layers.length * tokens * this.fingerprint.hidden * this.bytesPerValue + this.fingerprint.labels * 4;
  }

  private shardSize(entries: { entry: TeacherEntry }[]): number {
    return entries.reduce((a, { entry }) => a + this.entryBytes(entry.hidden[0].length / this.fingerprint.hidden), 0);
  }

  private encode(entries: { key: string; entry: TeacherEntry }[]): Buffer {
    const { hidden: H, labels: C } = this.fingerprint;
    const rows: [string, number, number][] = [];
    let offset = 0;
    for (const { key, entry } of entries) {
      const tokens = entry.hidden[0].length / H;
      rows.push([key, tokens, offset]);
      offset += this.entryBytes(tokens);
    }
    const header: ShardHeader = { format: FORMAT, dtype: this.options.dtype, layers: [...this.layers], hidden: H, labels: C, entries: rows };
    const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
    const start = MAGIC.length + 4 + headerBytes.length;
    const out = Buffer.alloc(start + offset);
    out.write(MAGIC, 0, 'latin1');
    out.writeUInt32LE(headerBytes.length, MAGIC.length);
    headerBytes.copy(out, MAGIC.length + 4);
    let at = start;
    for (const { entry } of entries) {
      for (const layer of entry.hidden) {
        const bytes = this.options.dtype === 'float16' ? new Uint8Array(float32ToFloat16(layer).buffer) : new Uint8Array(layer.buffer, layer.byteOffset, layer.byteLength);
        out.set(bytes, at);
        at += bytes.length;
      }
      out.set(new Uint8Array(entry.logits.buffer, entry.logits.byteOffset, entry.logits.byteLength), at);
      at += entry.logits.byteLength;
    }
    return out;
  }

  private indexShard(path: string): void {
    let header: ShardHeader;
    let start: number;
    let size: number;
    try {
      size = statSync(path).size;
      const head = readHead(path);
      if (head.toString('latin1', 0, MAGIC.length) !== MAGIC) throw new Error(`it does not start with ${MAGIC}`);
      const length = head.readUInt32LE(MAGIC.length);
      start = MAGIC.length + 4 + length;
      if (start > size) throw new Error(`its header wants ${length} bytes, the file has ${size - MAGIC.length - 4}`);
      header = JSON.parse(readRange(path, MAGIC.length + 4, length).toString('utf8')) as ShardHeader;
      const { dtype, layers, hidden, labels } = header;
      if (header.format !== FORMAT || dtype !== this.options.dtype || hidden !== this.fingerprint.hidden || labels !== this.fingerprint.labels || JSON.stringify(layers) !== JSON.stringify(this.layers)) {
        throw new Error(`its layout (format ${header.format}, ${dtype}, layers [${layers}], hidden ${hidden}, labels ${labels}) is not the store's`);
      }
      const last = header.entries[header.entries.length - 1];
      const end = last ? start + last[2] + this.entryBytes(last[1]) : start;
      if (end !== size) throw new Error(`its entries end at byte ${end}, the file has ${size}`);
    } catch (e) {
      this.warn(`teacher-output store: ${path} is left out: ${(e as Error).message}`);
      return;
    }
    const shard = this.shards.push({ path }) - 1;
    for (const [key, tokens, offset] of header.entries) {
      if (!this.index.has(key)) this.index.set(key, { shard, offset: start + offset, tokens });
    }
    this.bytes += size;
  }

  private forgetShard(shard: number): void {
    for (const [key, at] of this.index) if (at.shard === shard) this.index.delete(key);
    const s = this.shards[shard];
    if (s.fd !== undefined) {
      try { closeSync(s.fd); } catch { /* already gone */ }
      s.fd = undefined;
    }
  }

  private warn(message: string): void {
    this.options.warn?.(message);
  }
}

function readRange(path: string, position: number, length: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const buffer = Buffer.alloc(Math.max(0, Math.min(length, size - position)));
    const got = readSync(fd, buffer, 0, buffer.length, position);
    return buffer.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

function readHead(path: string): Buffer {
  const head = readRange(path, 0, MAGIC.length + 4);
  if (head.length < MAGIC.length + 4) throw new Error(`it has ${head.length} bytes, fewer than a shard's first ${MAGIC.length + 4}`);
  return head;
}

/** The folder of a teacher's store under `root`. */
export function teacherStoreDir(root: string, fingerprint: { id: string }): string {
  return join(root, fingerprint.id);
}

const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(0);

/** Rounds values to float16 and back: what a float16 store gives back, computed once so that a run's numbers do not depend on whether the store had an entry. */
export function roundToFloat16(values: Float32Array): Float32Array {
  return float16ToFloat32(float32ToFloat16(values));
}
