// What makes a teacher's outputs what they are, as one hash: its config, every weight (name, shape and
// float32 bytes, in name order), the backend that computes the forward pass (backends round
// differently), the layers a store keeps and their value type. The teacher-output store keeps one folder
// per fingerprint, so outputs are only ever shared between runs whose teacher would compute them
// bit for bit the same.
import { createHash } from 'node:crypto';
import type { BertModel } from '../model/types';
import type { TeacherStoreDtype } from './teacherOutputStore';
import { finishNow, type Steps } from '../util/timeSlices';

export interface TeacherFingerprint {
  /** The store folder's name: 24 hex digits of the hash. */
  id: string;
  layers: readonly number[];
  hidden: number;
  labels: number;
  /** What store.json records, for a person looking at the folder. */
  describe: Record<string, unknown>;
}

export interface FingerprintOptions {
  layers: readonly number[];
  backend: string;
  dtype: TeacherStoreDtype;
  source?: string;
}

export function teacherFingerprint(teacher: BertModel, options: FingerprintOptions): TeacherFingerprint {
  return finishNow(teacherFingerprintSteps(teacher, options));
}

/** The same, with a step after each weight hashed (BERT-base: about 0.9 s in all; see util/timeSlices.ts). */
export function* teacherFingerprintSteps(teacher: BertModel, options: FingerprintOptions): Steps<TeacherFingerprint> {
  const hash = createHash('sha256');
  const config = teacher.config as unknown as Record<string, unknown>;
  const layers = [...options.layers];
  hash.update(JSON.stringify({ config: sortedKeys(config), layers, backend: options.backend, dtype: options.dtype }));
  const weights = [...teacher.namedWeights()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  let parameters = 0;
  for (const [name, w] of weights) {
    const values = w.dataSync() as Float32Array;
    hash.update(`${name}:${w.shape.join('x')}:${w.dtype};`);
    hash.update(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
    parameters += w.size;
    yield;
  }
  const digest = hash.digest('hex');
  return {
    id: digest.slice(0, 24),
    layers,
    hidden: teacher.config.hidden_size,
    labels: teacher.config.num_labels,
    describe: {
      sha256: digest,
      teacher: options.source,
      layers,
      hidden: teacher.config.hidden_size,
      labels: teacher.config.num_labels,
      teacherLayers: teacher.config.num_hidden_layers,
      parameters,
      backend: options.backend,
    },
  };
}

function sortedKeys(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
}
