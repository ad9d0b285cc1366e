import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSafetensors, serializeSafetensors, type TensorToWrite } from '../../../trainer/checkpoint/safetensors';

/** A file built byte by byte: 8-byte little-endian header length, header JSON, data. */
function file(header: object | string, data: number[] = [], headerLength?: number): Uint8Array {
  const json = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLength ?? json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

const f32Bytes = (...v: number[]) => Array.from(new Uint8Array(Float32Array.from(v).buffer));

test('reads a hand-made file: F32 values, shape, metadata, trailing spaces in the header', () => {
  const bytes = file('{"__metadata__":{"format":"pt"},"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}   ', f32Bytes(1.5, -2));
  const { tensors, metadata } = parseSafetensors(bytes);
  assert.deepEqual(metadata, { format: 'pt' });
  const w = tensors.get('w')!;
  assert.deepEqual([w.dtype, w.shape, Array.from(w.values)], ['F32', [2], [1.5, -2]]);
});

test('F16 and BF16 bytes become float32: 0x3C00 = 1, 0xC000 = -2, BF16 0x4049 = 3.140625', () => {
  const bytes = file({ h: { dtype: 'F16', shape: [2], data_offsets: [0, 4] }, b: { dtype: 'BF16', shape: [1], data_offsets: [4, 6] } }, [0x00, 0x3c, 0x00, 0xc0, 0x49, 0x40]);
  const { tensors } = parseSafetensors(bytes);
  assert.ok(tensors.get('h')!.values instanceof Float32Array);
  assert.deepEqual(Array.from(tensors.get('h')!.values), [1, -2]);
  assert.deepEqual(Array.from(tensors.get('b')!.values), [3.140625]);
});

test('round trip of every writable dtype; F16/BF16 keep the rounded values; I64 sign-extends', () => {
  const tensors = new Map<string, TensorToWrite>([
    ['a.f32', { shape: [2, 2], values: Float32Array.from([1, 2.5, -3, 1e-7]) }],
    ['b.f16', { shape: [3], values: Float32Array.from([1 / 3, -2, 70000]), dtype: 'F16' }],
    ['c.bf16', { shape: [2], values: Float32Array.from([1 / 3, Math.PI]), dtype: 'BF16' }],
    ['d.i64', { shape: [1, 3], values: Int32Array.from([0, -5, 2147483647]), dtype: 'I64' }],
    ['e.i32', { shape: [2], values: Int32Array.from([-1, 7]) }],
    ['f.empty', { shape: [0, 4], values: new Float32Array(0) }],
  ]);
  const back = parseSafetensors(serializeSafetensors(tensors, { format: 'pt', note: 'x' }));
  assert.deepEqual(back.metadata, { format: 'pt', note: 'x' });
  assert.deepEqual(Array.from(back.tensors.get('a.f32')!.values), Array.from(Float32Array.from([1, 2.5, -3, 1e-7])));
  assert.deepEqual(Array.from(back.tensors.get('b.f16')!.values), [1365 / 4096, -2, Infinity]);
  assert.deepEqual(Array.from(back.tensors.get('c.bf16')!.values), [0.333984375, 3.140625]); // 0x3EAB, 0x4049
  const i64 = back.tensors.get('d.i64')!;
  assert.deepEqual([i64.dtype, i64.shape, i64.values instanceof Int32Array, Array.from(i64.values)], ['I64', [1, 3], true, [0, -5, 2147483647]]);
  assert.deepEqual(Array.from(back.tensors.get('e.i32')!.values), [-1, 7]);
  assert.deepEqual(back.tensors.get('f.empty')!.shape, [0, 4]);
});

test('written layout: header padded to 8 bytes, larger dtypes first, each tensor aligned to its size', () => {
  const bytes = serializeSafetensors(new Map<string, TensorToWrite>([
    ['z', { shape: [3], values: Float32Array.from([1, 2, 3]), dtype: 'F16' }],
    ['y', { shape: [1], values: Int32Array.from([1]), dtype: 'I64' }],
    ['x', { shape: [1], values: Float32Array.from([1]) }],
  ]));
  const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
  assert.equal(n % 8, 0);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  assert.deepEqual(header.y.data_offsets, [0, 8]);
  assert.deepEqual(header.x.data_offsets, [8, 12]);
  assert.deepEqual(header.z.data_offsets, [12, 18]);
  assert.equal(bytes.length, 8 + n + 18);
});

test('corrupt files are refused with the reason', () => {
  const ok = { w: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } };
  assert.throws(() => parseSafetensors(new Uint8Array(5), 'f.st'), /f.st: expected a safetensors file: an 8-byte header length, the JSON header, the data, found 5 bytes/);
  assert.throws(() => parseSafetensors(file(ok, f32Bytes(1, 2), 999), 'f.st'), /f.st: header length: expected a safetensors header length within the \d+ bytes after the length field, found 999; the file is cut short/);
  assert.throws(() => parseSafetensors(file('{"w": ', []), 'f.st'), /f.st: header: expected a safetensors header of UTF-8 JSON, found text that is not/);
  assert.throws(() => parseSafetensors(file('[1, 2]', []), 'f.st'), /header: expected a safetensors header that is a JSON object, found \[1,2\]/);
  assert.throws(() => parseSafetensors(file({ __metadata__: { n: 1 } }, [])), /__metadata__.n: expected a string, found 1/);
  assert.throws(() => parseSafetensors(file({ w: { dtype: 'F32', shape: [2, -1], data_offsets: [0, 8] } }, f32Bytes(1, 2))), /tensor "w" shape: expected a shape of whole numbers >= 0, found \[2,-1\]/);
  assert.throws(() => parseSafetensors(file({ w: { dtype: 'F32', shape: [2], data_offsets: [8, 0] } }, f32Bytes(1, 2))), /tensor "w" data_offsets: expected data_offsets \[begin, end\] with 0 <= begin <= end, found \[8,0\]/);
});

test('offsets out of range, sizes that do not match, gaps, overlaps and unused bytes are refused', () => {
  assert.throws(() => parseSafetensors(file({ w: { dtype: 'F32', shape: [3], data_offsets: [0, 12] } }, f32Bytes(1, 2)), 'f.st'), /f.st: expected 12 bytes of tensor data after the header \(tensor "w" ends at byte 12\), found 8; the file is truncated/);
  assert.throws(() => parseSafetensors(file({ w: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, f32Bytes(1, 2))), /expected 12 bytes for F32 \[3\], found data_offsets \[0, 8\], 8 bytes/);
  assert.throws(() => parseSafetensors(file({ w: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, f32Bytes(1, 2))), /tensor "w" data_offsets: expected the tensor to start at byte 0 of the data, found byte 4 \(a gap or an overlap\)/);
  assert.throws(
    () => parseSafetensors(file({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, f32Bytes(1, 2))),
    /expected the tensor to start at byte 8 of the data, found byte 4/,
  );
  assert.throws(() => parseSafetensors(file({ w: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, f32Bytes(1, 2))), /data: expected tensors that cover all 8 data bytes, found 4 bytes covered/);
});

test('unsupported dtypes and int64 values beyond int32 are refused by name', () => {
  assert.throws(() => parseSafetensors(file({ q: { dtype: 'F8_E4M3', shape: [1], data_offsets: [0, 1] } }, [0]), 'f.st'), /f.st: tensor "q" dtype: expected a dtype of F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL, found "F8_E4M3"/);
  assert.throws(() => parseSafetensors(file({ u: { dtype: 'U32', shape: [1], data_offsets: [0, 4] } }, [0, 0, 0, 0])), /dtype: expected a dtype of .*, found "U32"/);
  const big = new Uint8Array(new BigInt64Array([2n ** 40n]).buffer);
  assert.throws(() => parseSafetensors(file({ ids: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } }, Array.from(big))), /tensor "ids": expected I64 values that fit in int32, found 1099511627776 at index 0/);
});

test('writing checks values against dtype and shape', () => {
  assert.throws(() => serializeSafetensors(new Map([['w', { shape: [3], values: new Float32Array(2) }]])), /tensor "w": shape \[3\] needs 3 values, got 2/);
  assert.throws(() => serializeSafetensors(new Map<string, TensorToWrite>([['w', { shape: [1], values: new Int32Array(1), dtype: 'F16' }]])), /dtype F16 needs Float32Array values, got Int32Array/);
  assert.throws(() => serializeSafetensors(new Map([['__metadata__', { shape: [1], values: new Float32Array(1) }]])), /cannot be named "__metadata__"/);
});
