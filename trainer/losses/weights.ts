// The weights of L_total = alpha L_mid + beta L_soft + gamma L_hard and the temperature of L_soft, and
// their check. No tensors here, so that the run config (read by the extension host too) can use it.

export interface LossWeights {
  alpha: number;
  beta: number;
  gamma: number;
  /** Temperature T of L_soft. */
  temperature: number;
}

export function checkLossWeights(w: LossWeights): void {
  for (const key of ['alpha', 'beta', 'gamma'] as const) {
    if (!Number.isFinite(w[key]) || w[key] < 0) throw new Error(`loss weight ${key} must be a finite number >= 0, got ${w[key]}`);
  }
  if (w.alpha === 0 && w.beta === 0 && w.gamma === 0) {
    throw new Error('loss weights alpha, beta and gamma are all 0: there is nothing to train');
  }
  if (!Number.isFinite(w.temperature) || w.temperature <= 0) throw new Error(`temperature must be > 0, got ${w.temperature}`);
}
