// The generic checkpoint: a folder with named tensors (tensors.safetensors) and a JSON state
// (state.json: { format, version, state }), written atomically as a whole. The training checkpoint
// (trainingCheckpoint.ts) is one use of it; anything else that must survive a restart can be another.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { writeFileAtomic, writeFolderAtomic } from '../util/atomicFile';
import { InputError, parseJsonFile, shown } from '../errors';
import { readSafetensors, serializeSafetensors, type LoadedTensor, type NamedArray, type TensorToWrite } from './safetensors';

export const TENSORS_FILE = 'tensors.safetensors';
export const STATE_FILE = 'state.json';
const VERSION = 1;

export interface NamedTensorsState {
  tensors: Map<string, LoadedTensor>;
  state: unknown;
}

/** Throws, naming the path, on a value JSON would change or drop (NaN, Infinity, undefined, typed arrays, ...). */
export function assertJsonSafe(value: unknown, path = 'state'): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`${path} is ${value}, which JSON cannot hold`);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => assertJsonSafe(v, `${path}[${i}]`));
    return;
  }
  if (typeof value === 'object' && (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null)) {
    for (const [k, v] of Object.entries(value)) assertJsonSafe(v, `${path}.${k}`);
    return;
  }
  const kind = value === undefined ? 'undefined' : ArrayBuffer.isView(value) ? 'a typed array (put it in the tensors)' : typeof value === 'object' ? `a ${value.constructor?.name ?? 'non-plain'} object` : typeof value;
  throw new Error(`${path} is ${kind}, which JSON cannot hold`);
}

/** Writes `tensors` and `state` into the folder `target` (replacing it) atomically. `format` names the kind of checkpoint. */
export async function writeNamedTensorsState(target: string, format: string, tensors: ReadonlyMap<string, TensorToWrite>, state: unknown): Promise<void> {
  assertJsonSafe(state);
  const bytes = serializeSafetensors(tensors, { format });
  const json = JSON.stringify({ format, version: VERSION, state }, null, 1) + '\n';
  await writeFolderAtomic(target, (dir) => {
    writeFileAtomic(join(dir, TENSORS_FILE), bytes);
    writeFileAtomic(join(dir, STATE_FILE), json);
  });
}

/** Reads a folder written by writeNamedTensorsState with the same `format`. */
export function readNamedTensorsState(folder: string, format: string): NamedTensorsState {
  if (!existsSync(folder)) throw new InputError({ file: folder, expected: 'a checkpoint folder', found: 'no folder at this path' });
  const statePath = join(folder, STATE_FILE);
  if (!existsSync(statePath)) throw new InputError({ file: statePath, expected: `the ${STATE_FILE} of a checkpoint`, found: 'no file at this path' });
  const parsed = parseJsonFile(readFileSync(statePath, 'utf8'), statePath, `the ${STATE_FILE} of a checkpoint (JSON)`);
  const head = parsed as { format?: unknown; version?: unknown; state?: unknown };
  if (typeof parsed !== 'object' || parsed === null || head.format !== format) {
    throw new InputError({ file: statePath, field: 'format', expected: `"${format}"`, found: shown(head?.format) });
  }
  if (head.version !== VERSION) throw new InputError({ file: statePath, field: 'version', expected: `version ${VERSION}`, found: shown(head.version) });
  const tensorsPath = join(folder, TENSORS_FILE);
  if (!existsSync(tensorsPath)) throw new InputError({ file: tensorsPath, expected: `the ${TENSORS_FILE} of a checkpoint`, found: 'no file at this path' });
  return { tensors: readSafetensors(tensorsPath).tensors, state: head.state };
}

/** The values of named variables as arrays (their own layout). */
export function variablesToArrays(named: ReadonlyMap<string, tf.Variable>): Map<string, NamedArray> {
  const out = new Map<string, NamedArray>();
  for (const [name, v] of named) {
    const values = v.dtype === 'int32' ? new Int32Array(v.dataSync()) : new Float32Array(v.dataSync());
    out.set(name, { shape: v.shape.slice(), values });
  }
  return out;
}

/** Assigns arrays to named variables; every variable needs an array of its exact shape. */
export function assignArraysToVariables(named: ReadonlyMap<string, tf.Variable>, arrays: ReadonlyMap<string, NamedArray>, source: string): void {
  const problems: string[] = [];
  for (const [name, v] of named) {
    const a = arrays.get(name);
    if (!a) problems.push(`missing tensor ${name}`);
    else if (a.shape.join(',') !== v.shape.join(',')) problems.push(`${name} has shape [${a.shape}], expected [${v.shape}]`);
  }
  for (const name of arrays.keys()) if (!named.has(name)) problems.push(`unexpected tensor ${name}`);
  if (problems.length) throw new InputError({ file: source, expected: 'a tensor of the right shape for each variable', found: problems.join('; ') });
  for (const [name, v] of named) {
    const a = arrays.get(name)!;
    tf.tidy(() => v.assign(tf.tensor(a.values, a.shape, v.dtype)));
  }
}
