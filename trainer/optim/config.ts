// Optimiser settings, with the defaults of docs/lrc-bert.md (the common practice of TinyBERT and of the
// LRC-BERT re-implementation) and PyTorch's AdamW.
export interface OptimConfig {
  /** Peak learning rate, reached at the end of warm-up; the paper picks from {5e-5, 1e-4, 3e-4}. */
  learningRate: number;
  /** Decoupled weight decay (AdamW), applied as p -= lr * weightDecay * p. */
  weightDecay: number;
  /** Parameters whose name contains one of these strings get no weight decay (biases and LayerNorm weights). */
  noDecay: string[];
  /** Adam's beta1, beta2 and epsilon (PyTorch defaults). */
  beta1: number;
  beta2: number;
  epsilon: number;
  /** Share of the optimiser steps spent warming the learning rate up linearly from 0. */
  warmupShare: number;
  /** Clip the gradients to this global L2 norm; 0 or Infinity = no clipping. */
  maxGradNorm: number;
}

export const DEFAULT_OPTIM_CONFIG: Readonly<OptimConfig> = {
  learningRate: 1e-4,
  weightDecay: 0.01,
  noDecay: ['bias', 'LayerNorm.weight'],
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-8,
  warmupShare: 0.1,
  maxGradNorm: 1.0,
};
