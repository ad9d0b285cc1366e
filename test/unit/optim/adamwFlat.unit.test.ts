// AdamW updates its parameters group by group over flat vectors (issue 21: fewer operations per step).
// Checked here against the per-parameter update it replaced (kept below as the reference, the
// arithmetic of trainer/optim/adamw.ts before the change): the same values to the bit on random
// parameters over several steps, with a parameter that starts later, one that misses a step, weight
// decay on some, clipping, and a state exported in the per-parameter layout and resumed.
// Runs on WASM here and on TensorFlow in the native tier (test/native/run.mjs).
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { AdamW, type AdamWConfig, type AdamWState } from '../../../trainer/optim/adamw';
import { clipByGlobalNorm } from '../../../trainer/optim/clip';
import { DEFAULT_OPTIM_CONFIG } from '../../../trainer/optim/config';
import { SeededRandom } from '../../../trainer/util/random';
import { useBackend } from '../helpers/backend';
import { assertClose } from '../losses/reference';

before(() => useBackend('wasm'));

const config: AdamWConfig = { ...DEFAULT_OPTIM_CONFIG, weightDecay: 0.01 };

/** The per-parameter AdamW update as it was: 14 operations per parameter and step. */
class ReferenceAdamW {
  readonly m = new Map<string, tf.Tensor>();
  readonly v = new Map<string, tf.Tensor>();
  readonly t = new Map<string, number>();
  updates = 0;

  constructor(readonly params: Map<string, tf.Variable>, readonly cfg: AdamWConfig) {}

  applyGradients(grads: Map<string, tf.Tensor>, lr: number): void {
    const { beta1, beta2, epsilon, weightDecay } = this.cfg;
    this.updates += 1;
    for (const [name, variable] of this.params) {
      const g = grads.get(name);
      if (!g) continue;
      const t = (this.t.get(name) ?? 0) + 1;
      this.t.set(name, t);
      const m = this.m.get(name) ?? tf.zerosLike(variable);
      const v = this.v.get(name) ?? tf.zerosLike(variable);
      const decay = !this.cfg.noDecay.some((s) => name.includes(s));
      const [newM, newV] = tf.tidy(() => {
        const newM = tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1));
        const newV = tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2));
        const stepSize = lr / (1 - beta1 ** t);
        const denom = tf.add(tf.div(tf.sqrt(newV), Math.sqrt(1 - beta2 ** t)), epsilon);
        const decayed = decay && weightDecay > 0 ? tf.mul(variable, 1 - lr * weightDecay) : variable;
        variable.assign(tf.sub(decayed, tf.mul(tf.div(newM, denom), stepSize)));
        return [newM, newV];
      });
      m.dispose();
      v.dispose();
      this.m.set(name, newM);
      this.v.set(name, newV);
    }
  }

  /** The state in the checkpoint's per-parameter layout. */
  exportState(): AdamWState {
    const params: AdamWState['params'] = {};
    for (const [name, variable] of this.params) {
      if (!this.m.has(name)) continue;
      params[name] = { step: this.t.get(name)!, shape: variable.shape.slice(), m: new Float32Array(this.m.get(name)!.dataSync()), v: new Float32Array(this.v.get(name)!.dataSync()) };
    }
    return { step: this.updates, params };
  }

  dispose(): void {
    tf.dispose([...this.m.values(), ...this.v.values()]);
  }
}

const SHAPES: Array<[string, number[]]> = [
  ['encoder.layer.0.attention.self.query.weight', [37, 29]],
  ['encoder.layer.0.attention.self.query.bias', [5]],
  ['encoder.layer.0.attention.output.LayerNorm.weight', [5]],
  ['encoder.layer.0.attention.output.LayerNorm.bias', [5]],
  ['encoder.layer.0.intermediate.dense.weight', [5, 3, 2]],
  ['classifier.weight', [5, 2]],
  ['classifier.bias', [2]],
];

function randomValues(random: SeededRandom, n: number, scale: number): Float32Array {
  return Float32Array.from({ length: n }, () => (random.next() * 2 - 1) * scale);
}

/** Two sets of variables holding the same random values. */
function twins(seed: number) {
  const random = new SeededRandom(seed);
  const a = new Map<string, tf.Variable>();
  const b = new Map<string, tf.Variable>();
  for (const [name, shape] of SHAPES) {
    const values = randomValues(random, shape.reduce((x, y) => x * y, 1), 1);
    a.set(name, tf.variable(tf.tensor(values, shape)));
    b.set(name, tf.variable(tf.tensor(values, shape)));
  }
  return { a, b, random };
}

/** Random gradients for the named parameters, by parameter name. */
function gradients(random: SeededRandom, names: string[], scale: number): Map<string, tf.Tensor> {
  const shapes = new Map(SHAPES);
  return new Map(names.map((name) => {
    const shape = shapes.get(name)!;
    return [name, tf.tensor(randomValues(random, shape.reduce((x, y) => x * y, 1), scale), shape)];
  }));
}

/** The same gradients keyed by the tf variable names of `params`, as tf.variableGrads gives them. */
const byVariable = (grads: Map<string, tf.Tensor>, params: Map<string, tf.Variable>): tf.NamedTensorMap =>
  Object.fromEntries([...grads].map(([name, g]) => [params.get(name)!.name, g]));

function assertSameValues(a: Map<string, tf.Variable>, b: Map<string, tf.Variable>, what: string): void {
  for (const [name, v] of a) {
    assert.deepEqual(Array.from(b.get(name)!.dataSync()), Array.from(v.dataSync()), `${what}: ${name}`);
    assert.deepEqual(b.get(name)!.shape, v.shape);
  }
}

const all = SHAPES.map(([name]) => name);
const withoutClassifier = all.filter((name) => !name.startsWith('classifier'));
/** Which parameters get a gradient at each step: the classifier from step 3 on, the query bias misses step 5. */
const PLAN = [withoutClassifier, withoutClassifier, all, all, all.filter((n) => !n.endsWith('query.bias')), all, all];

test('the grouped update gives the per-parameter update to the bit, step after step', () => {
  const { a, b, random } = twins(1);
  const reference = new ReferenceAdamW(a, config);
  const flat = new AdamW(b, config);
  PLAN.forEach((names, i) => {
    const lr = 1e-3 * (i + 1);
    const grads = gradients(random, names, 0.5);
    reference.applyGradients(grads, lr);
    flat.applyGradients(byVariable(grads, b), lr);
    tf.dispose([...grads.values()]);
    assertSameValues(a, b, `step ${i + 1}`);
  });
  // The moments too, in the checkpoint's per-parameter layout.
  const want = reference.exportState();
  const got = flat.exportState();
  assert.equal(got.step, want.step);
  assert.deepEqual(Object.keys(got.params).sort(), Object.keys(want.params).sort());
  for (const [name, p] of Object.entries(want.params)) {
    assert.equal(got.params[name].step, p.step, name);
    assert.deepEqual(got.params[name].shape, p.shape, name);
    assert.deepEqual(Array.from(got.params[name].m), Array.from(p.m), `${name} m`);
    assert.deepEqual(Array.from(got.params[name].v), Array.from(p.v), `${name} v`);
  }
  reference.dispose();
  flat.dispose();
});

test('a per-parameter state (the checkpoint layout, as the reference writes it) resumes to the bit', () => {
  const { a, b, random } = twins(2);
  const reference = new ReferenceAdamW(a, config);
  for (const names of PLAN.slice(0, 3)) {
    const grads = gradients(random, names, 0.5);
    reference.applyGradients(grads, 1e-3);
    tf.dispose([...grads.values()]);
  }
  for (const [name, v] of a) b.get(name)!.assign(v);
  const flat = new AdamW(b, config);
  flat.importState(reference.exportState());
  for (const names of PLAN.slice(3)) {
    const grads = gradients(random, names, 0.5);
    reference.applyGradients(grads, 1e-3);
    flat.applyGradients(byVariable(grads, b), 1e-3);
    tf.dispose([...grads.values()]);
  }
  assertSameValues(a, b, 'resumed');
  // And its own export, imported into a third optimiser mid-run, goes on the same way.
  const { b: c } = twins(2);
  for (const [name, v] of b) c.get(name)!.assign(v);
  const again = new AdamW(c, config);
  again.importState(flat.exportState());
  const grads = gradients(random, all, 0.5);
  flat.applyGradients(byVariable(grads, b), 1e-3);
  again.applyGradients(byVariable(grads, c), 1e-3);
  tf.dispose([...grads.values()]);
  assertSameValues(b, c, 'exported and imported');
  reference.dispose();
  flat.dispose();
  again.dispose();
});

test('clipping inside the update: the norm of all gradients, then the same scaled update', () => {
  const { a, b, random } = twins(3);
  const reference = new ReferenceAdamW(a, config);
  const flat = new AdamW(b, config);
  for (const [i, names] of PLAN.entries()) {
    const grads = gradients(random, names, 2); // norms of about 6: clipped to 1
    const clipped = clipByGlobalNorm(byVariable(grads, a), 1);
    reference.applyGradients(new Map([...grads.keys()].map((name) => [name, clipped.grads[a.get(name)!.name]])), 1e-3);
    const { gradNorm } = flat.applyGradients(byVariable(grads, b), 1e-3, { maxGradNorm: 1 });
    assert.ok(clipped.norm > 1, `step ${i + 1} is clipped`);
    // The two norms add the same squares in another order: float32 rounding apart.
    assertClose([gradNorm!], [clipped.norm], 0, 1e-6, `norm at step ${i + 1}`);
    tf.dispose([...grads.values(), ...Object.values(clipped.grads)]);
  }
  for (const [name, v] of a) assertClose(b.get(name)!.dataSync(), v.dataSync(), 1e-6, 1e-5, name);
  // Not clipped (off, or below the limit): the norm is still measured.
  const w = tf.variable(tf.tensor1d([1, 2]));
  const off = new AdamW(new Map([['w', w]]), config);
  const g = tf.tensor1d([3, 4]);
  for (const max of [0, Infinity, 10]) assertClose([off.applyGradients({ [w.name]: g }, 1e-3, { maxGradNorm: max }).gradNorm!], [5], 1e-6);
  assert.deepEqual(off.applyGradients({ [w.name]: g }, 1e-3), {});
  assert.throws(() => off.applyGradients({}, 1e-3, { maxGradNorm: -1 }), /maxGradNorm must be >= 0 \(0 = no clipping\), got -1/);
  assert.deepEqual(off.applyGradients({}, 1e-3, { maxGradNorm: 1 }), { gradNorm: 0 });
  g.dispose();
  reference.dispose();
  flat.dispose();
  off.dispose();
});

test('the grouped update leaks no tensor, through regroupings, exports and imports', () => {
  const { b, random } = twins(4);
  const flat = new AdamW(b, config);
  const step = (names: string[]) => {
    const grads = gradients(random, names, 0.5);
    flat.applyGradients(byVariable(grads, b), 1e-3, { maxGradNorm: 1 });
    tf.dispose([...grads.values()]);
  };
  step(all);
  step(all);
  const before = tf.memory().numTensors;
  for (let i = 0; i < 3; i++) step(all);
  assert.equal(tf.memory().numTensors, before, 'steady steps');
  step(withoutClassifier); // the classifier's moments leave the groups
  step(all); // and come back in groups of their own
  flat.importState(flat.exportState());
  step(all);
  // Four groups from here on (the classifier's t is behind): two more pairs of moments, nothing else.
  assert.equal(tf.memory().numTensors, before + 2 * 2, 'regrouped');
  flat.dispose();
  assert.equal(tf.memory().numTensors, before - 2 * 2 - 5, 'disposed: the moments of the two groups and the five constants');
});
