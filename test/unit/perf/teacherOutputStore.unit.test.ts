// The teacher-output store on its own: entries written by one store are read back by another (as by
// another process) exactly in float32 and as float16 rounds them; two writers in one folder never share a
// file and see each other's shards after refresh(); shards that are cut short, not shards, of another
// layout or left half-written under a temporary name are left out with a warning that names the file;
// the size cap stops writing; a store that only reads creates nothing; the fingerprint follows the
// teacher's weights, backend, layers and dtype.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../helpers/backend';
import { tempDir } from '../helpers/tempDir';
import { Bert } from '../../../trainer/model/bert';
import { parseBertConfig } from '../../../trainer/model/config';
import { teacherFingerprint, type TeacherFingerprint } from '../../../trainer/perf/teacherFingerprint';
import { roundToFloat16, TeacherOutputStore, type TeacherEntry, type TeacherStoreDtype } from '../../../trainer/perf/teacherOutputStore';
import { SeededRandom } from '../../../trainer/util/random';

before(() => useBackend('wasm'));

const rng = new SeededRandom(17);
const FP: TeacherFingerprint = { id: 'test0123456789abcdef0123', layers: [1, 3], hidden: 8, labels: 2, describe: { note: 'test' } };

function entry(tokens: number): TeacherEntry {
  const values = (n: number) => Float32Array.from({ length: n }, () => (rng.next() - 0.5) * 10);
  return { hidden: FP.layers.map(() => values(tokens * FP.hidden)), logits: values(FP.labels) };
}

function open(root: string, options: { dtype?: TeacherStoreDtype; write?: boolean; maxBytes?: number; warnings?: string[] } = {}): TeacherOutputStore {
  return new TeacherOutputStore(root, FP, {
    dtype: options.dtype ?? 'float32',
    write: options.write ?? true,
    maxBytes: options.maxBytes ?? 2 ** 30,
    warn: (m) => options.warnings?.push(m),
  });
}

const same = (a: Float32Array, b: Float32Array) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

test('float32 entries come back bit for bit from another store over the same folder', () => {
  const root = tempDir();
  const writer = open(root);
  const written = new Map([['1,0,5,0', entry(2)], ['1,0,7,0,9,0', entry(3)], ['4,0', entry(1)]]);
  for (const [k, e] of written) writer.add(k, e);
  assert.equal(writer.stats().entries, 0, 'pending until flushed');
  writer.close();
  assert.equal(writer.stats().writes, 3);
  const reader = open(root, { write: false });
  assert.equal(reader.stats().entries, 3);
  for (const [k, e] of written) {
    const got = reader.read(k)!;
    assert.ok(got, k);
    e.hidden.forEach((h, i) => assert.ok(same(got.hidden[i], h), `${k} layer ${i}`));
    assert.ok(same(got.logits, e.logits));
  }
  assert.equal(reader.read('2,0'), undefined);
  assert.deepEqual(JSON.parse(readFileSync(join(root, FP.id, 'store.json'), 'utf8')).dtype, 'float32');
});

test('a float16 store halves the hidden states and gives back the float16 rounding of what it was given', () => {
  const root = tempDir();
  const writer = open(root, { dtype: 'float16' });
  const e = entry(4);
  const rounded = { hidden: e.hidden.map(roundToFloat16), logits: e.logits };
  writer.add('k', rounded);
  writer.close();
  const got = open(root, { dtype: 'float16', write: false }).read('k')!;
  rounded.hidden.forEach((h, i) => assert.ok(same(got.hidden[i], h)));
  assert.ok(same(got.logits, e.logits), 'logits stay float32');
  const shard = readdirSync(join(root, FP.id)).find((n) => n.startsWith('shard-'))!;
  const size = readFileSync(join(root, FP.id, shard)).length;
  assert.ok(size < 2 * 4 * 8 * 2 + 8 + 300, `a float16 shard of 4 tokens x 2 layers x 8 takes ${size} bytes`);
  assert.ok(roundToFloat16(e.hidden[0]).some((v, i) => v !== e.hidden[0][i]), 'the rounding is real');
  // a float32 store of the same fingerprint id does not read float16 shards
  const warnings: string[] = [];
  const other = open(root, { write: false, warnings });
  assert.equal(other.stats().entries, 0);
  assert.match(warnings.join('\n'), /shard-.*\.bin is left out: its layout \(format 1, float16/);
});

test('two writers in one folder write separate shards and see each other after refresh', () => {
  const root = tempDir();
  const a = open(root);
  const b = open(root);
  a.add('a1', entry(2));
  b.add('b1', entry(2));
  b.add('a1', entry(2)); // both computed it: each writes its own copy, the index keeps one
  a.flush();
  b.flush();
  assert.equal(readdirSync(join(root, FP.id)).filter((n) => n.startsWith('shard-')).length, 2);
  assert.equal(a.has('b1'), false, 'not before refresh');
  a.refresh();
  assert.equal(a.has('b1'), true);
  assert.ok(a.read('b1'));
  assert.equal(a.stats().entries, 2);
  assert.deepEqual(readdirSync(join(root, FP.id)).filter((n) => !n.startsWith('shard-') && n !== 'store.json'), [], 'no temporary file left behind');
});

test('broken shards are left out with a warning naming the file; the good ones still serve', () => {
  const root = tempDir();
  const w = open(root);
  const dir = join(root, FP.id);
  const shards = () => readdirSync(dir).filter((n) => n.startsWith('shard-'));
  w.add('good', entry(2));
  w.flush();
  const [goodShard] = shards();
  w.add('cut', entry(3));
  w.flush();
  const cutShard = shards().find((n) => n !== goodShard)!;
  truncateSync(join(dir, cutShard), readFileSync(join(dir, cutShard)).length - 5);
  writeFileSync(join(dir, 'shard-junk.bin'), 'not a shard at all, just text');
  writeFileSync(join(dir, 'shard-tiny.bin'), 'LRC');
  writeFileSync(join(dir, '.shard-x.bin.tmp-1-abc'), 'LRCTOUT1half');
  const warnings: string[] = [];
  const r = open(root, { write: false, warnings });
  assert.equal(r.stats().entries, 1);
  assert.ok(r.read('good'));
  assert.equal(r.read('cut'), undefined);
  const text = warnings.join('\n');
  assert.match(text, new RegExp(`${cutShard.replace(/\./g, '\\.')} is left out: its entries end at byte \\d+, the file has \\d+`));
  assert.match(text, /shard-junk\.bin is left out: it does not start with LRCTOUT1/);
  assert.match(text, /shard-tiny\.bin is left out: it has 3 bytes/);
  assert.doesNotMatch(text, /tmp-1-abc/, 'temporary files are not shards');
  assert.doesNotMatch(text, new RegExp(goodShard.replace(/\./g, '\\.')));
});

test('a shard that disappears while indexed is a miss, not a failure', () => {
  const root = tempDir();
  const w = open(root);
  w.add('k', entry(2));
  w.close();
  const warnings: string[] = [];
  const r = open(root, { write: false, warnings });
  const dir = join(root, FP.id);
  for (const n of readdirSync(dir)) if (n.startsWith('shard-')) truncateSync(join(dir, n), 20);
  assert.equal(r.read('k'), undefined);
  assert.match(warnings.join('\n'), /could not be read .*its entries are computed again/);
  assert.equal(r.has('k'), false);
});

test('the size cap stops the writing with one warning', () => {
  const root = tempDir();
  const warnings: string[] = [];
  const w = open(root, { maxBytes: 600, warnings });
  w.add('a', entry(2)); // 2 layers x 2 tokens x 8 x 4 + 8 = 136 bytes + header
  w.flush();
  w.add('b', entry(10)); // 648 bytes: over the cap
  w.flush();
  w.add('c', entry(1));
  w.flush();
  assert.equal(w.stats().entries, 1);
  assert.equal(warnings.filter((m) => /cap of 0 MiB reached; no more outputs are written/.test(m)).length, 1);
});

test('a store that only reads creates no folder', () => {
  const root = join(tempDir(), 'nothing-here');
  const r = open(root, { write: false });
  r.add('k', entry(1));
  r.close();
  assert.equal(existsSync(root), false);
  assert.equal(r.stats().entries, 0);
});

test('the fingerprint follows the weights, the backend, the layers and the dtype, and nothing else', () => {
  const config = parseBertConfig({ vocab_size: 50, hidden_size: 8, num_hidden_layers: 2, num_attention_heads: 2, intermediate_size: 16, max_position_embeddings: 16, num_labels: 2 });
  const a = new Bert(config, { seed: 1, trainable: false, name: 'fp-a' });
  const b = new Bert(config, { seed: 1, trainable: false, name: 'fp-b' });
  const c = new Bert(config, { seed: 2, trainable: false, name: 'fp-c' });
  const base = { layers: [1, 2], backend: 'wasm', dtype: 'float32' as const };
  const id = (m: Bert, o: Partial<typeof base> = {}) => teacherFingerprint(m, { ...base, ...o }).id;
  assert.equal(id(a), id(b), 'same config and weights, another variable name prefix');
  assert.notEqual(id(a), id(c), 'other weights');
  assert.notEqual(id(a), id(a, { backend: 'tensorflow' }));
  assert.notEqual(id(a), id(a, { layers: [2] }));
  assert.notEqual(id(a), id(a, { dtype: 'float16' as never }));
  const w = [...b.namedWeights().values()][3];
  const changed = w.dataSync().slice();
  changed[0] = Math.fround(changed[0] + 1e-3);
  w.assign(tf.tensor(changed, w.shape));
  assert.notEqual(id(a), id(b), 'one weight changed');
  assert.match(id(a), /^[0-9a-f]{24}$/);
  [a, b, c].forEach((m) => m.dispose());
});
