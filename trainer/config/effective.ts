// From a validated RunConfig to the settings the training code takes: ablation presets applied,
// the intermediate loss chosen by the run's kind.
import { z } from 'zod';
import { describeZodError, jsonLineOf, UserError } from '../errors';
import type { LossConfig } from '../losses/config';
import type { OptimConfig } from '../optim/config';
import { DEFAULT_OPTIM_CONFIG } from '../optim/config';
import type { StageConfig } from '../train/stages';
import { RunConfigSchema, type RunConfig } from './runConfig';

/** The JSON file a config (or part of it) was read from, to name the line of a bad field. */
export interface ConfigOrigin {
  file: string;
  text: string;
  /** The file's object: a field whose value differs (a flag changed it) is not the file's. */
  json: unknown;
  /** Where the config sits in the file's object (["run"] for the run of a plan); the whole file when absent. */
  at?: readonly (string | number)[];
}

function valueAt(v: unknown, path: readonly (string | number)[]): unknown {
  for (const key of path) v = typeof v === 'object' && v !== null ? (v as Record<string | number, unknown>)[key] : undefined;
  return v;
}

/** file:line of the first bad field when it comes from `origin`'s file. */
function placeOf(error: z.ZodError, json: unknown, origin: ConfigOrigin | undefined): string | undefined {
  if (!origin) return undefined;
  const at = origin.at ?? [];
  const config = valueAt(origin.json, at);
  for (const issue of error.issues) {
    // an unknown key is on the key's own line; another issue on its field's line, or its parent's
    const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]] : issue.path;
    const inFile = valueAt(config, path);
    if (inFile === undefined || JSON.stringify(inFile) !== JSON.stringify(valueAt(json, path))) continue;
    const line = jsonLineOf(origin.text, [...at, ...path]);
    if (line !== undefined) return `${origin.file}:${line}`;
  }
  return undefined;
}

/** Parses a config object; the error names `source` (or the file and line of `origin`) and every bad field. */
export function parseRunConfig(json: unknown, source = 'config', origin?: ConfigOrigin): RunConfig {
  const parsed = RunConfigSchema.safeParse(json);
  if (!parsed.success) {
    const error = parsed.error as z.ZodError;
    const place = placeOf(error, json, origin);
    throw new UserError(`${place ?? source}: ${describeZodError(error, json)}`, place ?? source);
  }
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
