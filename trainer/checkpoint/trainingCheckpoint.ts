// The resumable training checkpoint: everything a run needs to go on where it stopped, as one
// named-tensors + JSON folder (namedState.ts):
//   tensors.safetensors  student/<HF name> (Hugging Face layout, so this part is a valid HF state dict),
//                        projection/<name>, optimizer/<param>/m and optimizer/<param>/v (AdamW moments)
//   state.json           step, stage, loss weights, random generator states, the run config, the
//                        optimiser's counters, and anything else the trainer adds (`extra`).
import type { AdamWState } from '../optim/adamw';
import { readNamedTensorsState, writeNamedTensorsState, assertJsonSafe } from './namedState';
import type { LoadedTensor, NamedArray, TensorToWrite } from './safetensors';
import { InputError, shown } from '../errors';

export const TRAINING_CHECKPOINT_FORMAT = 'lrc-distill-training-checkpoint';

export interface TrainingCheckpoint {
  /** Optimiser steps done. */
  step: number;
  /** Current stage of the two-stage schedule (1 or 2). */
  stage: number;
  /** The loss weights in force (alpha, beta, gamma, ...). */
  lossWeights: Record<string, number>;
  /** Named SeededRandom states (getState()), e.g. { batches: ..., dropout: ... }. */
  random: Record<string, number>;
  /** The run's config, as JSON. */
  config: unknown;
  /** Student weights by Hugging Face name, Hugging Face layout (hfWeights.modelToHfArrays). */
  student: Map<string, NamedArray>;
  /** Projection weights by name (namedState.variablesToArrays). */
  projections: Map<string, NamedArray>;
  optimizer: AdamWState;
  /** Anything else to restore (schedule state, epoch position, best score, ...), as JSON. */
  extra?: Record<string, unknown>;
}

interface StoredState {
  step: number;
  stage: number;
  lossWeights: Record<string, number>;
  random: Record<string, number>;
  config: unknown;
  optimizer: { step: number; params: Record<string, { step: number; shape: number[] }> };
  extra?: Record<string, unknown>;
}

const STUDENT = 'student/';
const PROJECTION = 'projection/';
const OPTIMIZER = 'optimizer/';

export async function writeTrainingCheckpoint(folder: string, checkpoint: TrainingCheckpoint): Promise<void> {
  if (!Number.isInteger(checkpoint.step) || checkpoint.step < 0) throw new Error(`training checkpoint: step must be an integer >= 0, got ${checkpoint.step}`);
  const tensors = new Map<string, TensorToWrite>();
  for (const [name, a] of checkpoint.student) tensors.set(STUDENT + name, a);
  for (const [name, a] of checkpoint.projections) tensors.set(PROJECTION + name, a);
  const params: StoredState['optimizer']['params'] = {};
  for (const [name, p] of Object.entries(checkpoint.optimizer.params)) {
    tensors.set(`${OPTIMIZER}${name}/m`, { shape: p.shape, values: p.m });
    tensors.set(`${OPTIMIZER}${name}/v`, { shape: p.shape, values: p.v });
    params[name] = { step: p.step, shape: p.shape };
  }
  const state: StoredState = {
    step: checkpoint.step,
    stage: checkpoint.stage,
    lossWeights: checkpoint.lossWeights,
    random: checkpoint.random,
    config: checkpoint.config,
    optimizer: { step: checkpoint.optimizer.step, params },
    ...(checkpoint.extra ? { extra: checkpoint.extra } : {}),
  };
  assertJsonSafe(state);
  await writeNamedTensorsState(folder, TRAINING_CHECKPOINT_FORMAT, tensors, state);
}

function floats(t: LoadedTensor, name: string, where: string): NamedArray & { values: Float32Array } {
  if (!(t.values instanceof Float32Array)) throw new InputError({ file: where, field: `tensor ${name}`, expected: 'a float dtype', found: t.dtype });
  return { shape: t.shape, values: t.values };
}

export function readTrainingCheckpoint(folder: string): TrainingCheckpoint {
  const { tensors, state } = readNamedTensorsState(folder, TRAINING_CHECKPOINT_FORMAT);
  const where = `${folder}/state.json`;
  const s = state as Partial<StoredState> | null;
  const problems: string[] = [];
  if (!s || typeof s !== 'object') throw new InputError({ file: where, field: 'state', expected: 'an object', found: JSON.stringify(s) ?? 'nothing' });
  if (!Number.isInteger(s.step) || s.step! < 0) problems.push(`step must be an integer >= 0, got ${JSON.stringify(s.step)}`);
  if (typeof s.stage !== 'number') problems.push(`stage must be a number, got ${JSON.stringify(s.stage)}`);
  for (const key of ['lossWeights', 'random'] as const) {
    const value = s[key];
    if (!value || typeof value !== 'object' || Object.values(value).some((v) => typeof v !== 'number')) problems.push(`${key} must be an object of numbers, got ${JSON.stringify(value)}`);
  }
  if (!s.optimizer || !Number.isInteger(s.optimizer.step) || typeof s.optimizer.params !== 'object') problems.push(`optimizer must be { step, params }, got ${JSON.stringify(s.optimizer)?.slice(0, 80)}`);
  if (problems.length) throw new InputError({ file: where, expected: 'the state of a training checkpoint', found: problems.join('; ') });

  const student = new Map<string, NamedArray>();
  const projections = new Map<string, NamedArray>();
  const moments = new Map<string, LoadedTensor>();
  for (const [name, t] of tensors) {
    if (name.startsWith(STUDENT)) student.set(name.slice(STUDENT.length), floats(t, name, folder));
    else if (name.startsWith(PROJECTION)) projections.set(name.slice(PROJECTION.length), floats(t, name, folder));
    else if (name.startsWith(OPTIMIZER)) moments.set(name.slice(OPTIMIZER.length), t);
    else throw new InputError({ file: `${folder}/tensors.safetensors`, field: `tensor ${name}`, expected: 'student/, projection/ or optimizer/ tensors', found: shown(name) });
  }
  const params: AdamWState['params'] = {};
  for (const [name, p] of Object.entries(s.optimizer!.params)) {
    const m = moments.get(`${name}/m`);
    const v = moments.get(`${name}/v`);
    if (!m || !v) throw new InputError({ file: `${folder}/tensors.safetensors`, field: `${OPTIMIZER}${name}`, expected: `the optimiser moments ${OPTIMIZER}${name}/m and /v`, found: 'none' });
    for (const [t, kind] of [[m, 'm'], [v, 'v']] as const) {
      if (t.shape.join(',') !== p.shape.join(',')) throw new InputError({ file: `${folder}/tensors.safetensors`, field: `${OPTIMIZER}${name}/${kind}`, expected: `shape [${p.shape}] (as state.json says)`, found: `[${t.shape}]` });
    }
    moments.delete(`${name}/m`);
    moments.delete(`${name}/v`);
    params[name] = { step: p.step, shape: p.shape, m: floats(m, `${name}/m`, folder).values, v: floats(v, `${name}/v`, folder).values };
  }
  if (moments.size) throw new InputError({ file: `${folder}/tensors.safetensors`, expected: 'an entry in state.json for each optimiser tensor', found: `none for ${[...moments.keys()].join(', ')}` });
  return {
    step: s.step!,
    stage: s.stage!,
    lossWeights: s.lossWeights!,
    random: s.random!,
    config: s.config,
    student,
    projections,
    optimizer: { step: s.optimizer!.step, params },
    ...(s.extra ? { extra: s.extra } : {}),
  };
}
