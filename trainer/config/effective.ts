// From a validated RunConfig to the settings the training code takes: ablation presets applied,
// the intermediate loss chosen by the run's kind.
import { z } from 'zod';
import { describeZodError, UserError } from '../server';
import type { LossConfig } from '../losses/config';
import type { OptimConfig } from '../optim/config';
import { DEFAULT_OPTIM_CONFIG } from '../optim/config';
import type { StageConfig } from '../train/stages';
import { RunConfigSchema, type RunConfig } from './runConfig';

/** Parses a config object; the error names `source` and every bad field. */
export function parseRunConfig(json: unknown, source = 'config'): RunConfig {
  const parsed = RunConfigSchema.safeParse(json);
  if (!parsed.success) throw new UserError(`${source}: ${describeZodError(parsed.error as z.ZodError)}`, source);
  return parsed.data;
}

/**
 * The two-stage settings of a run with its ablation preset applied:
 * - no-cosnce: alpha = 0 in both stages; stage 1 would then train nothing, so the run is one stage (1:1:3 less alpha);
 * - no-soft: beta = 0; no-hard: gamma = 0 (stage 2);
 * - no-perturbation: epsilon = 0;
 * - single-stage: split 0, the stage-2 weights from the first step.
 */
export function effectiveStages(config: RunConfig): StageConfig {
  const s: StageConfig = structuredClone(config.stages);
  switch (config.preset) {
    case 'no-cosnce':
      s.stage2.alpha = 0;
      s.stage1 = { ...s.stage2 };
      s.split = 0;
      break;
    case 'no-soft':
      s.stage1.beta = 0;
      s.stage2.beta = 0;
      break;
    case 'no-hard':
      s.stage1.gamma = 0;
      s.stage2.gamma = 0;
      break;
    case 'no-perturbation':
      s.epsilon = 0;
      break;
    case 'single-stage':
      s.split = 0;
      break;
  }
  return s;
}

export function effectiveLoss(config: RunConfig): LossConfig {
  return {
    intermediate: config.kind === 'mse' ? 'mse' : 'cosnce',
    layerMapping: config.loss.layerMapping,
    vectorize: config.loss.vectorize,
    negatives: config.loss.negatives,
    angularEps: config.loss.angularEps,
    softTimesTSquared: config.loss.softTimesTSquared,
    projectionInitStd: config.loss.projectionInitStd,
  };
}

export function effectiveOptim(config: RunConfig): OptimConfig {
  const o = config.optim;
  return { ...DEFAULT_OPTIM_CONFIG, learningRate: o.learningRate, weightDecay: o.weightDecay, warmupShare: o.warmupShare, maxGradNorm: o.maxGradNorm };
}

/** The config of the MSE baseline paired with an LRC run: identical but for the intermediate loss. */
export function baselineConfigOf(lrc: RunConfig): RunConfig {
  if (lrc.kind !== 'lrc') throw new UserError(`only an lrc run has an MSE baseline, not a ${lrc.kind} run`, 'kind');
  return { ...structuredClone(lrc), kind: 'mse', name: lrc.name ? `${lrc.name} (MSE baseline)` : undefined, preset: undefined };
}
