// AdamW (Loshchilov & Hutter) over named tf.Variables, the same arithmetic as PyTorch's torch.optim.AdamW:
//   p <- p * (1 - lr * wd)                       (decoupled weight decay; skipped for `noDecay` names)
//   m <- b1 m + (1 - b1) g;   v <- b2 v + (1 - b2) g^2
//   p <- p - (lr / (1 - b1^t)) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
// t counts the updates of each parameter (PyTorch keeps it per parameter too), so a parameter that had no
// gradient for a while (the classifier during stage 1) starts its own bias correction when it first gets one.
// A parameter without a gradient in a step is left alone: no decay, no moment update.
import * as tf from '@tensorflow/tfjs';
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
  step: number;
  m?: tf.Variable;
  v?: tf.Variable;
}

/** A non-trainable variable holding `init` (which is disposed: the variable keeps its own reference). */
function stateVariable(init: tf.Tensor): tf.Variable {
  const v = tf.variable(init, false);
  init.dispose();
  return v;
}

export class AdamW {
  private readonly slots = new Map<string, Slot>(); // by tf variable name (the key of tf.variableGrads)
  private readonly byParam = new Map<string, Slot>(); // by parameter name
  private updates = 0;

  constructor(params: Map<string, tf.Variable>, readonly config: AdamWConfig) {
    const { beta1, beta2, epsilon, weightDecay } = config;
    if (!(beta1 >= 0 && beta1 < 1)) throw new Error(`AdamW: beta1 must be in [0, 1), got ${beta1}`);
    if (!(beta2 >= 0 && beta2 < 1)) throw new Error(`AdamW: beta2 must be in [0, 1), got ${beta2}`);
    if (!(epsilon > 0)) throw new Error(`AdamW: epsilon must be > 0, got ${epsilon}`);
    if (!(weightDecay >= 0)) throw new Error(`AdamW: weightDecay must be >= 0, got ${weightDecay}`);
    for (const [name, variable] of params) {
      if (this.slots.has(variable.name)) throw new Error(`AdamW: parameter '${name}' is the same variable as '${this.slots.get(variable.name)!.name}'`);
      const slot: Slot = { name, variable, decay: !config.noDecay.some((s) => name.includes(s)), step: 0 };
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
   * it; the gradients are not disposed here.
   */
  applyGradients(grads: tf.NamedTensorMap, lr: number): void {
    if (!(lr >= 0) || !Number.isFinite(lr)) throw new Error(`AdamW: learning rate must be a finite number >= 0, got ${lr}`);
    for (const key of Object.keys(grads)) {
      if (!this.slots.has(key)) throw new Error(`AdamW: got a gradient for variable '${key}', which is not one of the optimiser's parameters`);
    }
    const { beta1, beta2, epsilon, weightDecay } = this.config;
    this.updates += 1;
    for (const [key, slot] of this.slots) {
      const g = grads[key];
      if (!g) continue;
      if (g.shape.join(',') !== slot.variable.shape.join(',')) {
        throw new Error(`AdamW: gradient of '${slot.name}' has shape [${g.shape}] but the parameter is [${slot.variable.shape}]`);
      }
      if (!slot.m || !slot.v) {
        slot.m = stateVariable(tf.zerosLike(slot.variable));
        slot.v = stateVariable(tf.zerosLike(slot.variable));
      }
      slot.step += 1;
      const t = slot.step;
      const m = slot.m;
      const v = slot.v;
      tf.tidy(() => {
        const newM = tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1));
        const newV = tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2));
        const stepSize = lr / (1 - beta1 ** t);
        const denom = tf.add(tf.div(tf.sqrt(newV), Math.sqrt(1 - beta2 ** t)), epsilon);
        const decayed = slot.decay && weightDecay > 0 ? tf.mul(slot.variable, 1 - lr * weightDecay) : slot.variable;
        slot.variable.assign(tf.sub(decayed, tf.mul(tf.div(newM, denom), stepSize)));
        m.assign(newM);
        v.assign(newV);
      });
    }
  }

  exportState(): AdamWState {
    const params: AdamWState['params'] = {};
    for (const slot of this.byParam.values()) {
      if (!slot.m || !slot.v) continue;
      params[slot.name] = {
        step: slot.step,
        shape: slot.variable.shape.slice(),
        m: new Float32Array(slot.m.dataSync()),
        v: new Float32Array(slot.v.dataSync()),
      };
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
      slot.m = stateVariable(tf.tensor(p.m, p.shape, 'float32'));
      slot.v = stateVariable(tf.tensor(p.v, p.shape, 'float32'));
    }
    this.updates = state.step;
  }

  private disposeMoments(): void {
    for (const slot of this.slots.values()) {
      slot.m?.dispose();
      slot.v?.dispose();
      slot.m = undefined;
      slot.v = undefined;
      slot.step = 0;
    }
  }

  /** Frees the moments (not the parameters). */
  dispose(): void {
    this.disposeMoments();
  }
}
