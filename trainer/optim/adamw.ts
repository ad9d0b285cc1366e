// AdamW (Loshchilov & Hutter) over named tf.Variables, the same arithmetic as PyTorch's torch.optim.AdamW:
//   p <- p * (1 - lr * wd)                       (decoupled weight decay; skipped for `noDecay` names)
//   m <- b1 m + (1 - b1) g;   v <- b2 v + (1 - b2) g^2
//   p <- p - (lr / (1 - b1^t)) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
// t counts the updates of each parameter (PyTorch keeps it per parameter too), so a parameter that had no
// gradient for a while (the classifier during stage 1) starts its own bias correction when it first gets one.
// A parameter without a gradient in a step is left alone: no decay, no moment update.
//
// The update is elementwise, so it runs once per group of parameters with the same t and the same decay,
// over their values, gradients and moments laid end to end in one flat vector (issue 21: on the native
// backend each operation costs about 50 us whatever its size, and one update per parameter was 14 of them
// for each of ~40 parameters). Each element sees the operations of the per-parameter update, in the same
// order and with the same float32 scalars, so the result is the same to the bit
// (test/unit/optim/adamwFlat.unit.test.ts). The moments of a group stay flat between steps; a group whose
// members change (a parameter without a gradient, one that starts later) is split up and formed again.
// Optionally the gradients are clipped first by their global norm, measured over the same flat vector.
import * as tf from '@tensorflow/tfjs';
import { clipScale } from './clip';
import type { OptimConfig } from './config';

export type AdamWConfig = Pick<OptimConfig, 'weightDecay' | 'noDecay' | 'beta1' | 'beta2' | 'epsilon'>;

/** Everything resuming needs, as plain data (checkpoints write it as they like). */
export interface AdamWState {
  /** Number of `applyGradients` calls. */
  step: number;
  /** Per parameter name; parameters never updated are absent. */
  params: Record<string, { step: number; shape: number[]; m: Float32Array; v: Float32Array }>;
}

interface Slot {
  name: string;
  variable: tf.Variable;
  decay: boolean;
  /** Number of updates of this parameter. */
  step: number;
  /** Position in the optimiser's parameter order. */
  index: number;
  /** The moments as 1-D tensors while the parameter is in no group (after a state import or a regrouping). */
  m?: tf.Tensor1D;
  v?: tf.Tensor1D;
  /** The group whose flat moments hold this parameter's. */
  group?: Group;
}

/** Parameters updated together: the same t and decay; their moments laid end to end in parameter order. */
interface Group {
  key: string;
  slots: Slot[];
  m: tf.Tensor1D;
  v: tf.Tensor1D;
}

export interface ApplyOptions {
  /**
   * Clip the gradients to this global L2 norm first, as torch.nn.utils.clip_grad_norm_ (clip.ts); 0 or
   * Infinity: the norm is measured, nothing clipped. Absent: neither.
   */
  maxGradNorm?: number;
}

/** A tensor kept beyond the tf.tidy it is made in. */
const kept = <T extends tf.Tensor>(t: T): T => tf.keep(t);

/** (size) view of a tensor: reshaped unless it is 1-D already (a Reshape is an operation of its own). */
const flat = (t: tf.Tensor): tf.Tensor1D => (t.rank === 1 ? (t as tf.Tensor1D) : tf.reshape(t, [t.size]));

/** The tensors laid end to end (one concat; a single tensor as it is). */
const concat1d = (ts: tf.Tensor1D[]): tf.Tensor1D => (ts.length === 1 ? ts[0] : tf.concat(ts));

/** Splits a flat vector into pieces of these sizes (one split; a single piece as it is). */
const split1d = (t: tf.Tensor1D, sizes: number[]): tf.Tensor1D[] => (sizes.length === 1 ? [t] : (tf.split(t, sizes) as tf.Tensor1D[]));

export class AdamW {
  private readonly slots = new Map<string, Slot>(); // by tf variable name (the key of tf.variableGrads)
  private readonly byParam = new Map<string, Slot>(); // by parameter name
  private groups: Group[] = [];
  private updates = 0;
  /** beta1, 1 - beta1, beta2, 1 - beta2, epsilon as float32 scalars, made once. */
  private constants?: { b1: tf.Scalar; c1: tf.Scalar; b2: tf.Scalar; c2: tf.Scalar; eps: tf.Scalar };

  constructor(params: Map<string, tf.Variable>, readonly config: AdamWConfig) {
    const { beta1, beta2, epsilon, weightDecay } = config;
    if (!(beta1 >= 0 && beta1 < 1)) throw new Error(`AdamW: beta1 must be in [0, 1), got ${beta1}`);
    if (!(beta2 >= 0 && beta2 < 1)) throw new Error(`AdamW: beta2 must be in [0, 1), got ${beta2}`);
    if (!(epsilon > 0)) throw new Error(`AdamW: epsilon must be > 0, got ${epsilon}`);
    if (!(weightDecay >= 0)) throw new Error(`AdamW: weightDecay must be >= 0, got ${weightDecay}`);
    for (const [name, variable] of params) {
      if (this.slots.has(variable.name)) throw new Error(`AdamW: parameter '${name}' is the same variable as '${this.slots.get(variable.name)!.name}'`);
      const slot: Slot = { name, variable, decay: !config.noDecay.some((s) => name.includes(s)), step: 0, index: this.slots.size };
      this.slots.set(variable.name, slot);
      this.byParam.set(name, slot);
    }
  }

  /** Whether weight decay applies to a parameter. */
  decays(paramName: string): boolean {
    const slot = this.byParam.get(paramName);
    if (!slot) throw new Error(`AdamW: no parameter named '${paramName}'`);
    return slot.decay;
  }

  get step(): number {
    return this.updates;
  }

  /**
   * One update with learning rate `lr`. `grads` is keyed by tf variable name, as tf.variableGrads returns
   * it; the gradients are not disposed here. Returns the global norm of the gradients before clipping when
   * `options.maxGradNorm` is given.
   */
  applyGradients(grads: tf.NamedTensorMap, lr: number, options: ApplyOptions = {}): { gradNorm?: number } {
    if (!(lr >= 0) || !Number.isFinite(lr)) throw new Error(`AdamW: learning rate must be a finite number >= 0, got ${lr}`);
    const { maxGradNorm } = options;
    if (maxGradNorm !== undefined && !(maxGradNorm >= 0)) throw new Error(`maxGradNorm must be >= 0 (0 = no clipping), got ${maxGradNorm}`);
    for (const key of Object.keys(grads)) {
      if (!this.slots.has(key)) throw new Error(`AdamW: got a gradient for variable '${key}', which is not one of the optimiser's parameters`);
    }
    const present: Slot[] = [];
    for (const [key, slot] of this.slots) {
      const g = grads[key];
      if (!g) continue;
      if (g.shape.join(',') !== slot.variable.shape.join(',')) {
        throw new Error(`AdamW: gradient of '${slot.name}' has shape [${g.shape}] but the parameter is [${slot.variable.shape}]`);
      }
      present.push(slot);
    }
    this.updates += 1;
    if (present.length === 0) return maxGradNorm === undefined ? {} : { gradNorm: 0 };
    const groups = this.regroup(present);
    const ordered = groups.flatMap((group) => group.slots);
    // Every gradient in one flat vector, group after group (N).
    const gradient = tf.tidy(() => concat1d(ordered.map((slot) => flat(grads[slot.variable.name]!))));
    try {
      let gradNorm: number | undefined;
      let scale = 1;
      if (maxGradNorm !== undefined) {
        const norm = tf.tidy(() => tf.sqrt(tf.sum(tf.square(gradient)))); // ()
        gradNorm = norm.dataSync()[0];
        norm.dispose();
        scale = clipScale(gradNorm, maxGradNorm);
      }
      tf.tidy(() => {
        const g = scale === 1 ? gradient : tf.mul(gradient, scale) as tf.Tensor1D;
        const pieces = split1d(g, groups.map((group) => group.slots.reduce((n, slot) => n + slot.variable.size, 0)));
        groups.forEach((group, i) => this.update(group, pieces[i], lr));
      });
      for (const slot of ordered) slot.step += 1;
      return maxGradNorm === undefined ? {} : { gradNorm };
    } finally {
      if (!Object.values(grads).includes(gradient)) gradient.dispose(); // a single 1-D gradient is the caller's
    }
  }

  /** The update of one group from its flat gradient; inside a tf.tidy. */
  private update(group: Group, g: tf.Tensor1D, lr: number): void {
    const { beta1, beta2, weightDecay } = this.config;
    const c = this.scalars();
    const t = group.slots[0].step + 1;
    const decay = group.slots[0].decay && weightDecay > 0;
    const newM = tf.add(tf.mul(group.m, c.b1), tf.mul(g, c.c1)) as tf.Tensor1D;
    const newV = tf.add(tf.mul(group.v, c.b2), tf.mul(tf.square(g), c.c2)) as tf.Tensor1D;
    const stepSize = lr / (1 - beta1 ** t);
    const denom = tf.add(tf.div(tf.sqrt(newV), tf.scalar(Math.sqrt(1 - beta2 ** t))), c.eps);
    const params = concat1d(group.slots.map((slot) => flat(slot.variable)));
    const decayed = decay ? tf.mul(params, tf.scalar(1 - lr * weightDecay)) : params;
    const updated = tf.sub(decayed, tf.mul(tf.div(newM, denom), tf.scalar(stepSize))) as tf.Tensor1D;
    split1d(updated, group.slots.map((slot) => slot.variable.size)).forEach((value, i) => {
      const { variable } = group.slots[i];
      variable.assign(variable.rank === 1 ? value : tf.reshape(value, variable.shape));
    });
    group.m.dispose();
    group.v.dispose();
    group.m = kept(newM);
    group.v = kept(newV);
  }

  private scalars(): NonNullable<AdamW['constants']> {
    if (!this.constants) {
      const { beta1, beta2, epsilon } = this.config;
      this.constants = tf.tidy(() => ({
        b1: kept(tf.scalar(beta1)), c1: kept(tf.scalar(1 - beta1)), b2: kept(tf.scalar(beta2)), c2: kept(tf.scalar(1 - beta2)), eps: kept(tf.scalar(epsilon)),
      }));
    }
    return this.constants;
  }

  /**
   * The groups of this step: the parameters with a gradient by (t, decay), in parameter order. Groups of
   * earlier steps with the same members are kept; the others are split up and their members' moments
   * laid end to end again (zeros for a parameter's first update).
   */
  private regroup(present: Slot[]): Group[] {
    const members = new Map<string, Slot[]>();
    for (const slot of present) {
      const key = `${slot.step}|${slot.decay}`;
      members.set(key, [...(members.get(key) ?? []), slot]);
    }
    const wanted = [...members.values()].map((slots) => ({ slots, key: slots.map((s) => s.index).join(',') }));
    const keys = new Set(wanted.map((w) => w.key));
    for (const group of this.groups) if (!keys.has(group.key)) this.dissolve(group);
    const existing = new Map(this.groups.filter((group) => keys.has(group.key)).map((group) => [group.key, group]));
    this.groups = wanted.map(({ slots, key }) => existing.get(key) ?? this.form(slots, key));
    return this.groups;
  }

  /** A group of these parameters, their moments (zeros where there are none yet) laid end to end. */
  private form(slots: Slot[], key: string): Group {
    const moments = (which: 'm' | 'v') => kept(tf.tidy(() => concat1d(slots.map((slot) => slot[which] ?? tf.zeros([slot.variable.size]) as tf.Tensor1D))));
    const group: Group = { key, slots, m: moments('m'), v: moments('v') };
    for (const slot of slots) {
      if (slot.m !== group.m) slot.m?.dispose(); // a group of one keeps the parameter's own moments
      if (slot.v !== group.v) slot.v?.dispose();
      slot.m = undefined;
      slot.v = undefined;
      slot.group = group;
    }
    return group;
  }

  /** Gives each member of a group its own moments again. */
  private dissolve(group: Group): void {
    const sizes = group.slots.map((slot) => slot.variable.size);
    const m = tf.tidy(() => split1d(group.m, sizes).map((t) => kept(tf.clone(t))));
    const v = tf.tidy(() => split1d(group.v, sizes).map((t) => kept(tf.clone(t))));
    group.slots.forEach((slot, i) => {
      slot.m = m[i];
      slot.v = v[i];
      slot.group = undefined;
    });
    group.m.dispose();
    group.v.dispose();
  }

  exportState(): AdamWState {
    const params: AdamWState['params'] = {};
    const read = new Map<Group, { m: Float32Array; v: Float32Array; offsets: Map<Slot, number> }>(); // one read per group
    for (const slot of this.byParam.values()) {
      let m: Float32Array;
      let v: Float32Array;
      if (slot.m && slot.v) {
        m = new Float32Array(slot.m.dataSync());
        v = new Float32Array(slot.v.dataSync());
      } else if (slot.group) {
        const group = slot.group;
        if (!read.has(group)) {
          const offsets = new Map<Slot, number>();
          let offset = 0;
          for (const s of group.slots) {
            offsets.set(s, offset);
            offset += s.variable.size;
          }
          read.set(group, { m: group.m.dataSync() as Float32Array, v: group.v.dataSync() as Float32Array, offsets });
        }
        const r = read.get(group)!;
        const offset = r.offsets.get(slot)!;
        m = r.m.slice(offset, offset + slot.variable.size);
        v = r.v.slice(offset, offset + slot.variable.size);
      } else {
        continue;
      }
      params[slot.name] = { step: slot.step, shape: slot.variable.shape.slice(), m, v };
    }
    return { step: this.updates, params };
  }

  /** Restores a state written by `exportState` for the same parameters. */
  importState(state: AdamWState): void {
    if (!Number.isInteger(state.step) || state.step < 0) throw new Error(`AdamW state: step must be an integer >= 0, got ${state.step}`);
    for (const [name, p] of Object.entries(state.params)) {
      const slot = this.byParam.get(name);
      if (!slot) throw new Error(`AdamW state: parameter '${name}' is not one of the optimiser's parameters`);
      if (p.shape.join(',') !== slot.variable.shape.join(',')) {
        throw new Error(`AdamW state: '${name}' has shape [${p.shape}] but the parameter is [${slot.variable.shape}]`);
      }
      if (p.m.length !== slot.variable.size || p.v.length !== slot.variable.size) {
        throw new Error(`AdamW state: '${name}' has ${p.m.length} m and ${p.v.length} v values for ${slot.variable.size} weights`);
      }
      if (!Number.isInteger(p.step) || p.step < 1) throw new Error(`AdamW state: '${name}' step must be an integer >= 1, got ${p.step}`);
    }
    this.disposeMoments();
    for (const [name, p] of Object.entries(state.params)) {
      const slot = this.byParam.get(name)!;
      slot.step = p.step;
      slot.m = tf.tensor1d(p.m, 'float32');
      slot.v = tf.tensor1d(p.v, 'float32');
    }
    this.updates = state.step;
  }

  private disposeMoments(): void {
    for (const group of this.groups) {
      group.m.dispose();
      group.v.dispose();
    }
    this.groups = [];
    for (const slot of this.slots.values()) {
      slot.m?.dispose();
      slot.v?.dispose();
      slot.m = undefined;
      slot.v = undefined;
      slot.group = undefined;
      slot.step = 0;
    }
  }

  /** Frees the moments and the constants (not the parameters). */
  dispose(): void {
    this.disposeMoments();
    if (this.constants) tf.dispose(Object.values(this.constants));
    this.constants = undefined;
  }
}
