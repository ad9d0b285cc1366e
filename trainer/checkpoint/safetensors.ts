/**
 * The safetensors format (Hugging Face), read and written here: no maintained npm library reads and
 * writes it (the `safetensors` npm name holds a single 0.0.1 release with no repository).
 *
 * Layout: 8 bytes, the header length N as an unsigned 64-bit little-endian integer; N bytes of UTF-8
 * JSON, `{ "<name>": { "dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end] }, ...,
 * "__metadata__": { "<key>": "<string>" } }`, which may end in spaces; then the data, little-endian,
 * row-major, offsets relative to the start of the data, covering it without holes or overlaps.
 * Written here as the reference writer does: the header padded with spaces to a multiple of 8 bytes,
 * tensors ordered by element size (largest first) then name, so every tensor is aligned to its size.
 *
 * Reading converts F32, F16, BF16 and F64 to float32, and I64, I32, I16, I8, U8 and BOOL to int32
 * (an I64 value outside the int32 range is an error). Other dtypes (U16, U32, U64, F8_*) are refused.
 */
import { existsSync, readFileSync } from 'node:fs';
import { InputError, shown } from '../errors';
import { writeFileAtomic } from '../util/atomicFile';
import { finishNow, type Steps } from '../util/timeSlices';
import { bfloat16ToFloat32, float16ToFloat32, float32ToBfloat16, float32ToFloat16 } from './halfFloat';

export type SafetensorsDtype = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I16' | 'I8' | 'U8' | 'BOOL';
export type WritableDtype = 'F32' | 'F16' | 'BF16' | 'I64' | 'I32';

const DTYPE_SIZE: Record<SafetensorsDtype, number> = { F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1 };
const FLOAT_DTYPES = new Set<SafetensorsDtype>(['F64', 'F32', 'F16', 'BF16']);
/** The reference implementation's limit on the header size. */
const MAX_HEADER_BYTES = 100_000_000;

/** A tensor's values in row-major order. */
export interface NamedArray {
  shape: number[];
  values: Float32Array | Int32Array;
}

/** A tensor read from a file: float dtypes as Float32Array, integer ones as Int32Array. */
export interface LoadedTensor extends NamedArray {
  /** The dtype in the file. */
  dtype: SafetensorsDtype;
}

export interface TensorToWrite extends NamedArray {
  /** Default: F32 for Float32Array values, I32 for Int32Array. F16/BF16/F32 need Float32Array, I32/I64 Int32Array. */
  dtype?: WritableDtype;
}

export interface SafetensorsContent {
  tensors: Map<string, LoadedTensor>;
  metadata: Record<string, string>;
}

function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function isDtype(value: unknown): value is SafetensorsDtype {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(DTYPE_SIZE, value);
}

/** A copy of `length` bytes at `offset`, in a fresh buffer (so typed views are aligned). */
function copyBytes(bytes: Uint8Array, offset: number, length: number): ArrayBuffer {
  const out = new Uint8Array(length);
  out.set(bytes.subarray(offset, offset + length));
  return out.buffer;
}

function decode(bytes: Uint8Array, offset: number, dtype: SafetensorsDtype, count: number, where: { file: string; field: string }): Float32Array | Int32Array {
  const buffer = copyBytes(bytes, offset, count * DTYPE_SIZE[dtype]);
  switch (dtype) {
    case 'F32':
      return new Float32Array(buffer);
    case 'F16':
      return float16ToFloat32(new Uint16Array(buffer));
    case 'BF16':
      return bfloat16ToFloat32(new Uint16Array(buffer));
    case 'F64':
      return Float32Array.from(new Float64Array(buffer));
    case 'I32':
      return new Int32Array(buffer);
    case 'I16':
      return Int32Array.from(new Int16Array(buffer));
    case 'I8':
      return Int32Array.from(new Int8Array(buffer));
    case 'U8':
    case 'BOOL':
      return Int32Array.from(new Uint8Array(buffer));
    case 'I64': {
      const wide = new BigInt64Array(buffer);
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) {
        const v = wide[i];
        if (v > 2147483647n || v < -2147483648n) throw new InputError({ file: where.file, field: where.field, expected: 'I64 values that fit in int32', found: `${v} at index ${i}` });
        out[i] = Number(v);
      }
      return out;
    }
  }
}

/** Parses the bytes of a .safetensors file. `source` names it in errors. */
export function parseSafetensors(bytes: Uint8Array, source = 'safetensors'): SafetensorsContent {
  return finishNow(safetensorsSteps(bytes, source));
}

/** The same, with a step after each tensor decoded (see util/timeSlices.ts). */
export function* safetensorsSteps(bytes: Uint8Array, source = 'safetensors'): Steps<SafetensorsContent> {
  const corrupt = (expected: string, found: string, field?: string, hint?: string) => new InputError({ file: source, field, expected, found, hint });
  if (bytes.length < 8) throw corrupt('a safetensors file: an 8-byte header length, the JSON header, the data', `${bytes.length} bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getBigUint64(0, true);
  if (headerLength > BigInt(bytes.length - 8)) {
    throw corrupt(`a safetensors header length within the ${bytes.length - 8} bytes after the length field`, `${headerLength}`, 'header length', 'the file is cut short or not a safetensors file');
  }
  if (headerLength > BigInt(MAX_HEADER_BYTES)) throw corrupt(`a safetensors header of at most ${MAX_HEADER_BYTES} bytes`, `${headerLength} bytes`, 'header length');
  const n = Number(headerLength);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch (e) {
    throw corrupt('a safetensors header of UTF-8 JSON', `text that is not (${(e as Error).message.split('\n')[0].slice(0, 60)})`, 'header');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw corrupt('a safetensors header that is a JSON object', shown(header, 40), 'header');
  const dataStart = 8 + n;
  const dataLength = bytes.length - dataStart;
  const metadata: Record<string, string> = {};
  const entries: { name: string; dtype: SafetensorsDtype; shape: number[]; begin: number; end: number }[] = [];
  for (const [name, info] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof info !== 'object' || info === null || Array.isArray(info)) throw corrupt('an object of strings', shown(info, 40), '__metadata__');
      for (const [key, value] of Object.entries(info)) {
        if (typeof value !== 'string') throw corrupt('a string', shown(value, 40), `__metadata__.${key}`);
        metadata[key] = value;
      }
      continue;
    }
    const field = `tensor ${shown(name)}`;
    if (typeof info !== 'object' || info === null) throw corrupt('a header entry { dtype, shape, data_offsets }', shown(info, 40), field);
    const { dtype, shape, data_offsets: offsets } = info as Record<string, unknown>;
    if (!isDtype(dtype)) throw corrupt(`a dtype of ${Object.keys(DTYPE_SIZE).join(', ')}`, shown(dtype), `${field} dtype`);
    if (!Array.isArray(shape) || shape.some((d) => !Number.isSafeInteger(d) || d < 0)) throw corrupt('a shape of whole numbers >= 0', shown(shape, 40), `${field} shape`);
    if (!Array.isArray(offsets) || offsets.length !== 2 || offsets.some((o) => !Number.isSafeInteger(o) || o < 0) || offsets[0] > offsets[1]) {
      throw corrupt('data_offsets [begin, end] with 0 <= begin <= end', shown(offsets, 40), `${field} data_offsets`);
    }
    const [begin, end] = offsets as number[];
    const expected = elementCount(shape) * DTYPE_SIZE[dtype];
    if (end - begin !== expected) throw corrupt(`${expected} bytes for ${dtype} [${shape}]`, `data_offsets [${begin}, ${end}], ${end - begin} bytes`, `${field} data_offsets`);
    entries.push({ name, dtype, shape, begin, end });
  }
  // The header says how much data there is: a file cut short (a copy or download that stopped) has less.
  const needed = entries.reduce((m, e) => Math.max(m, e.end), 0);
  if (needed > dataLength) {
    const last = entries.find((e) => e.end === needed)!;
    throw corrupt(`${needed} bytes of tensor data after the header (tensor ${shown(last.name)} ends at byte ${needed})`, `${dataLength}`, undefined, 'the file is truncated');
  }
  // The data must be covered exactly: sorted by offset, each tensor starts where the previous ends.
  const sorted = entries.slice().sort((a, b) => a.begin - b.begin || a.end - b.end);
  let position = 0;
  for (const e of sorted) {
    if (e.begin !== position) throw corrupt(`the tensor to start at byte ${position} of the data`, `byte ${e.begin} (a gap or an overlap)`, `tensor ${shown(e.name)} data_offsets`);
    position = e.end;
  }
  if (position !== dataLength) throw corrupt(`tensors that cover all ${dataLength} data bytes`, `${position} bytes covered`, 'data');
  const tensors = new Map<string, LoadedTensor>();
  for (const e of entries) {
    const values = decode(bytes, dataStart + e.begin, e.dtype, elementCount(e.shape), { file: source, field: `tensor ${shown(e.name)}` });
    tensors.set(e.name, { dtype: e.dtype, shape: e.shape, values });
    yield;
  }
  return { tensors, metadata };
}

function encode(name: string, t: TensorToWrite): { dtype: WritableDtype; bytes: Uint8Array } {
  const dtype = t.dtype ?? (t.values instanceof Float32Array ? 'F32' : 'I32');
  const floats = dtype === 'F32' || dtype === 'F16' || dtype === 'BF16';
  if (floats !== t.values instanceof Float32Array) {
    throw new Error(`tensor "${name}": dtype ${dtype} needs ${floats ? 'Float32Array' : 'Int32Array'} values, got ${t.values.constructor.name}`);
  }
  if (t.shape.some((d) => !Number.isSafeInteger(d) || d < 0)) throw new Error(`tensor "${name}": invalid shape [${t.shape}]`);
  if (elementCount(t.shape) !== t.values.length) throw new Error(`tensor "${name}": shape [${t.shape}] needs ${elementCount(t.shape)} values, got ${t.values.length}`);
  const asBytes = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  switch (dtype) {
    case 'F32':
    case 'I32':
      return { dtype, bytes: asBytes(t.values) };
    case 'F16':
      return { dtype, bytes: asBytes(float32ToFloat16(t.values as Float32Array)) };
    case 'BF16':
      return { dtype, bytes: asBytes(float32ToBfloat16(t.values as Float32Array)) };
    case 'I64':
      return { dtype, bytes: asBytes(BigInt64Array.from(t.values as Int32Array, (v) => BigInt(v))) };
  }
}

/** The bytes of a .safetensors file holding `tensors` and the string `metadata`. */
export function serializeSafetensors(tensors: ReadonlyMap<string, TensorToWrite>, metadata: Record<string, string> = {}): Uint8Array {
  const encoded = [...tensors].map(([name, t]) => {
    if (name === '__metadata__') throw new Error('a tensor cannot be named "__metadata__"');
    return { name, shape: t.shape, ...encode(name, t) };
  });
  encoded.sort((a, b) => DTYPE_SIZE[b.dtype] - DTYPE_SIZE[a.dtype] || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const e of encoded) {
    header[e.name] = { dtype: e.dtype, shape: e.shape, data_offsets: [offset, offset + e.bytes.length] };
    offset += e.bytes.length;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) {
    const withSpaces = new Uint8Array(padded).fill(0x20);
    withSpaces.set(json);
    json = withSpaces;
  }
  const out = new Uint8Array(8 + json.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let position = 8 + json.length;
  for (const e of encoded) {
    out.set(e.bytes, position);
    position += e.bytes.length;
  }
  return out;
}

export function readSafetensors(path: string): SafetensorsContent {
  return finishNow(readSafetensorsSteps(path));
}

/** The same, with a step after reading the file and after each tensor decoded. */
export function* readSafetensorsSteps(path: string): Steps<SafetensorsContent> {
  if (!existsSync(path)) throw new InputError({ file: path, expected: 'a safetensors file', found: 'no file at this path' });
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new InputError({ file: path, expected: 'a readable safetensors file', found: (e as NodeJS.ErrnoException).code ?? (e as Error).message });
  }
  yield;
  return yield* safetensorsSteps(bytes, path);
}

/** Writes a .safetensors file atomically (a temporary name, then a rename). */
export function writeSafetensors(path: string, tensors: ReadonlyMap<string, TensorToWrite>, metadata?: Record<string, string>): void {
  writeFileAtomic(path, serializeSafetensors(tensors, metadata));
}

/** Whether a dtype is read as float32 (else int32). */
export function isFloatDtype(dtype: SafetensorsDtype): boolean {
  return FLOAT_DTYPES.has(dtype);
}
