// Files written by PyTorch through an independent writer (test/fixtures/checkpoint/generate.py), and
// our files read back by PyTorch (Debian's python3-torch, installed by npm test: test/python/provision.mjs).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { readSafetensors, writeSafetensors, type TensorToWrite } from '../../../trainer/checkpoint/safetensors';
import { debianTorch, requireReference } from '../helpers/python';

const FIXTURES = resolve(__dirname, '../../fixtures/checkpoint');

type Expected = Record<string, { dtype: string; shape: number[]; values: (number | string)[] }>;

test('every tensor of the torch-written dtypes.safetensors equals torch\'s own float32/int conversion', () => {
  const expected = JSON.parse(readFileSync(join(FIXTURES, 'dtypes.expected.json'), 'utf8')) as Expected;
  const { tensors, metadata } = readSafetensors(join(FIXTURES, 'dtypes.safetensors'));
  assert.equal(metadata.format, 'pt');
  assert.deepEqual([...tensors.keys()].sort(), Object.keys(expected).sort());
  for (const [name, e] of Object.entries(expected)) {
    const t = tensors.get(name)!;
    assert.equal(t.dtype, e.dtype, name);
    assert.deepEqual(t.shape, e.shape, name);
    const want = e.values.map((v) => (v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v === 'nan' ? NaN : (v as number)));
    // Float32 values compare exactly: the JSON numbers are float32 values printed in full.
    assert.deepEqual(Array.from(t.values), want.map((v) => (t.values instanceof Float32Array ? Math.fround(v) : v)), name);
  }
});

const torch = debianTorch();

test('PyTorch reads what we write (header parsed by Python json, data by torch.frombuffer)', { skip: torch.skip }, () => {
  requireReference(torch);
  const path = join(mkdtempSync(join(tmpdir(), 'lrc-st-')), 'ours.safetensors');
  writeSafetensors(path, new Map<string, TensorToWrite>([
    ['w', { shape: [2, 2], values: Float32Array.from([1, -2, 0.5, 3]) }],
    ['h', { shape: [2], values: Float32Array.from([1 / 3, -2]), dtype: 'F16' }],
    ['b', { shape: [2], values: Float32Array.from([1 / 3, 3.5]), dtype: 'BF16' }],
    ['ids', { shape: [1, 3], values: Int32Array.from([0, 1, -7]), dtype: 'I64' }],
  ]), { format: 'pt' });
  const script = `
import json, struct, sys, torch
data = open(sys.argv[1], 'rb').read()
n = struct.unpack('<Q', data[:8])[0]
assert n % 8 == 0, n
header = json.loads(data[8:8 + n])
types = {'F32': torch.float32, 'F16': torch.float16, 'BF16': torch.bfloat16, 'I64': torch.int64}
out = {}
for name, info in header.items():
    if name == '__metadata__':
        out[name] = info
        continue
    a, b = info['data_offsets']
    t = torch.frombuffer(bytearray(data[8 + n + a:8 + n + b]), dtype=types[info['dtype']]).reshape(info['shape'])
    out[name] = t.float().tolist() if t.is_floating_point() else t.tolist()
print(json.dumps(out))
`;
  const r = spawnSync(torch.python, ['-c', script, path], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const got = JSON.parse(r.stdout);
  assert.deepEqual(got.__metadata__, { format: 'pt' });
  assert.deepEqual(got.w, [[1, -2], [0.5, 3]]);
  assert.deepEqual(got.h, [1365 / 4096, -2]); // torch's float16 of 1/3 is 0x3555
  assert.deepEqual(got.b, [0.333984375, 3.5]); // torch's bfloat16 of 1/3 is 0x3EAB
  assert.deepEqual(got.ids, [[0, 1, -7]]);
});
