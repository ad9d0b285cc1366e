// BERT's masking: which positions are chosen, what they become, reproducibility, and the errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maskBatch, type MaskingSettings } from '../../../trainer/pretrain/masking';

const SPECIAL = { pad: 0, unk: 1, cls: 2, sep: 3, mask: 4 };
const settings: MaskingSettings = { probability: 0.15, maskId: SPECIAL.mask, vocabSize: 100, specialIds: new Set(Object.values(SPECIAL)) };

/** B rows of [CLS] t1..tn [SEP] [PAD]..., ordinary tokens 5..99. */
function batch(B: number, L: number, lengthOf: (b: number) => number) {
  const ids = new Int32Array(B * L);
  const mask = new Int32Array(B * L);
  for (let b = 0; b < B; b++) {
    const n = lengthOf(b);
    for (let t = 0; t < L; t++) {
      const i = b * L + t;
      if (t === 0) ids[i] = SPECIAL.cls;
      else if (t <= n) ids[i] = 5 + ((b * 31 + t * 7) % 95);
      else if (t === n + 1) ids[i] = SPECIAL.sep;
      else ids[i] = SPECIAL.pad;
      mask[i] = t <= n + 1 ? 1 : 0;
    }
  }
  return { ids, mask };
}

test('only real tokens are chosen; targets are the originals; 80% [MASK], 10% random ordinary, 10% kept', () => {
  const B = 200, L = 64;
  const { ids, mask } = batch(B, L, (b) => 20 + (b % 40));
  const m = maskBatch(ids, mask, settings, 123);
  const real = Array.from(ids).filter((id, i) => mask[i] === 1 && id >= 5).length;
  const share = m.positions.length / real;
  assert.ok(Math.abs(share - 0.15) < 0.01, `chosen share ${share}`);
  let masked = 0, kept = 0, replaced = 0;
  m.positions.forEach((p, k) => {
    assert.equal(mask[p], 1, 'never padding');
    assert.ok(ids[p] >= 5, 'never a special token');
    assert.equal(m.targets[k], ids[p], 'the target is the original token');
    if (m.inputIds[p] === SPECIAL.mask) masked++;
    else if (m.inputIds[p] === ids[p]) kept++;
    else {
      replaced++;
      assert.ok(m.inputIds[p] >= 5 && m.inputIds[p] < 100, 'a random replacement is an ordinary token');
    }
  });
  const n = m.positions.length;
  assert.ok(Math.abs(masked / n - 0.8) < 0.03, `[MASK] share ${masked / n}`);
  // a random replacement may draw the original token (1 in 95): it then counts as kept
  assert.ok(Math.abs(replaced / n - 0.1) < 0.02, `random share ${replaced / n}`);
  assert.ok(Math.abs(kept / n - 0.1) < 0.02, `kept share ${kept / n}`);
  const chosen = new Set(m.positions);
  ids.forEach((id, i) => { if (!chosen.has(i)) assert.equal(m.inputIds[i], id, `position ${i} not chosen stays`); });
  assert.deepEqual([...m.positions], [...m.positions].sort((a, b) => a - b), 'positions ascending');
});

test('the same seed gives the same masks; another seed others; the input is not modified', () => {
  const { ids, mask } = batch(8, 32, () => 25);
  const copy = Int32Array.from(ids);
  const a = maskBatch(ids, mask, settings, 5);
  const b = maskBatch(ids, mask, settings, 5);
  const c = maskBatch(ids, mask, settings, 6);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.positions, c.positions);
  assert.deepEqual(ids, copy);
});

test('a batch that draws no position still predicts one token', () => {
  const { ids, mask } = batch(1, 8, () => 1); // one real token
  for (let seed = 0; seed < 20; seed++) {
    const m = maskBatch(ids, mask, { ...settings, probability: 0.01 }, seed);
    assert.equal(m.positions.length, 1);
    assert.equal(m.positions[0], 1);
  }
});

test('bad settings are refused with the reason', () => {
  const { ids, mask } = batch(1, 8, () => 4);
  assert.throws(() => maskBatch(ids, mask, { ...settings, maskId: -1 }, 1), /no \[MASK\] token/);
  assert.throws(() => maskBatch(ids, mask, { ...settings, probability: 1 }, 1), /probability must be in \(0, 1\), got 1/);
});
