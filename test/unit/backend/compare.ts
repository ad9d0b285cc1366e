// Runs the same computation on the CPU backend (the reference) and on WASM, from plain JS inputs.
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../helpers/backend';
import { SeededRandom } from '../../../trainer/util/random';

export interface Outputs { values: number[]; shape: number[] }

export async function onBackend(name: 'cpu' | 'wasm', f: () => tf.Tensor): Promise<Outputs> {
  await useBackend(name);
  const t = tf.tidy(f);
  const out = { values: Array.from(await t.data()), shape: t.shape };
  t.dispose();
  return out;
}

export function randomValues(rng: SeededRandom, size: number): Float32Array {
  return Float32Array.from({ length: size }, () => rng.next() * 2 - 1);
}

export function maxAbsDiff(a: number[], b: number[]): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
