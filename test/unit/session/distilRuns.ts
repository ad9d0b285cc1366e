// Distillation runs of the tiny task through the real session, for the tests that compare runs bit for
// bit (the teacher-output cache and store): a teacher trained once, then lrc or mse runs whose logged
// losses, evaluations, exported student and last checkpoint are read back.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { tempDir } from '../helpers/tempDir';
import { createRun, updateRun } from '../../../trainer/runs/runStore';
import { readMetrics, type MetricsRecord } from '../../../trainer/runs/metricsLog';
import { TrainingSession, type SessionOptions } from '../../../trainer/session/trainingSession';
import { quietEvents, tinyConfig, TINY_STUDENT, TINY_TEACHER, writeTinyTask } from './tinyTask';

export interface DistilOutcome {
  progress: unknown[];
  evals: unknown[];
  exported: Buffer;
  checkpoint: Buffer;
  /** The run's teacherCache records of metrics.jsonl. */
  cache: MetricsRecord[];
  /** The lines the session logged as warnings. */
  warnings: string[];
  /** Tensors left behind by the run. */
  tensorsLeft: number;
}

export interface TinyTeacher {
  dir: string;
  files: { train: string; dev: string };
  runs: string;
  teacherId: string;
}

/** A temporary folder with the tiny task and a teacher trained on it (2 epochs). */
export async function tinyTeacher(): Promise<TinyTeacher> {
  const dir = tempDir();
  const files = writeTinyTask(dir);
  const runs = join(dir, 'runs');
  const t = createRun(runs, { kind: 'teacher', config: tinyConfig(files, { kind: 'teacher', model: TINY_TEACHER, optim: { batchSize: 8, epochs: 2, learningRate: 3e-3, warmupShare: 0.1 } }) });
  await new TrainingSession(join(runs, t.id), { events: quietEvents() }).run();
  return { dir, files, runs, teacherId: t.id };
}

/** A 3-epoch run from the tiny teacher, every step logged; `inSweep` tags it as a sweep's run. */
export async function distilTiny(env: TinyTeacher, kind: 'lrc' | 'mse', options: Omit<SessionOptions, 'events'>, run: { seed?: number; inSweep?: boolean } = {}): Promise<DistilOutcome> {
  const config = tinyConfig(env.files, {
    kind,
    teacher: { runId: env.teacherId },
    student: { ...TINY_STUDENT, dropout: 0.1 },
    optim: { batchSize: 8, epochs: 3, learningRate: 3e-3, warmupShare: 0.1 },
    logEverySteps: 1,
    ...(run.seed === undefined ? {} : { seed: run.seed }),
  });
  const r = createRun(env.runs, { kind, config });
  const dir = join(env.runs, r.id);
  if (run.inSweep) updateRun(dir, (rec) => ({ ...rec, sweep: { id: 'test-sweep', cell: { method: kind } } }));
  const warnings: string[] = [];
  const events = { ...quietEvents(), log: (level: string, message: string) => { if (level === 'warn') warnings.push(message); } };
  const before = tf.memory().numTensors;
  const done = await new TrainingSession(dir, { ...options, events }).run();
  assert.equal(done.status, 'finished', done.error?.message);
  const metrics = readMetrics(join(dir, 'metrics.jsonl'));
  const pick = (type: string, keys: string[]) => metrics.filter((m) => m.type === type).map((m) => Object.fromEntries(keys.map((k) => [k, m[k]])));
  return {
    progress: pick('progress', ['step', 'stage', 'weights', 'clean', 'perturbed', 'learningRate', 'gradNorm']),
    evals: pick('eval', ['step', 'metrics', 'score', 'best', 'candidate']),
    exported: readFileSync(join(dir, 'export', 'model.safetensors')),
    checkpoint: readFileSync(join(dir, 'checkpoints', 'last', 'tensors.safetensors')),
    cache: metrics.filter((m) => m.type === 'teacherCache'),
    warnings,
    tensorsLeft: tf.memory().numTensors - before,
  };
}

/** Two runs logged the same losses and evaluations and ended with the same student, bit for bit. */
export function assertSameNumbers(a: DistilOutcome, b: DistilOutcome, name: string): void {
  assert.deepStrictEqual(a.progress, b.progress, `${name}: every step's losses, gradient norm and learning rate`);
  assert.deepStrictEqual(a.evals, b.evals, `${name}: every evaluation`);
  assert.ok(a.exported.equals(b.exported), `${name}: the exported student's weights, byte for byte`);
  assert.ok(a.checkpoint.equals(b.checkpoint), `${name}: the last checkpoint (student, projections, AdamW moments), byte for byte`);
}
