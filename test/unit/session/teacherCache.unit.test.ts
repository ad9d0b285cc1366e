// The teacher-output cache through the real session loop: lrc and mse runs of three epochs, with the
// cache off, on ('auto': the whole set) and partial (a budget for about half the set, so batches mix
// cached and computed rows), log the same losses and evaluations and end with the same weights, bit for
// bit (deepStrictEqual compares numbers with Object.is; the safetensors files byte for byte), and the
// cache is hit. Batches are padded to their longest example, so an example is served in another batch,
// at another padded length, than the one it was computed in.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../helpers/backend';
import { tempDir } from '../helpers/tempDir';
import { createRun } from '../../../trainer/runs/runStore';
import { readMetrics, type MetricsRecord } from '../../../trainer/runs/metricsLog';
import { TrainingSession } from '../../../trainer/session/trainingSession';
import { parseTeacherCache } from '../../../trainer/perf/teacherCacheSetting';
import { quietEvents, tinyConfig, TINY_STUDENT, TINY_TEACHER, writeTinyTask } from './tinyTask';

before(() => useBackend('wasm'));

interface Outcome {
  progress: unknown[];
  evals: unknown[];
  exported: Buffer;
  checkpoint: Buffer;
  cache: MetricsRecord[];
  tensorsLeft: number;
}

async function setup() {
  const dir = tempDir();
  const files = writeTinyTask(dir);
  const runs = join(dir, 'runs');
  const t = createRun(runs, { kind: 'teacher', config: tinyConfig(files, { kind: 'teacher', model: TINY_TEACHER, optim: { batchSize: 8, epochs: 2, learningRate: 3e-3, warmupShare: 0.1 } }) });
  await new TrainingSession(join(runs, t.id), { events: quietEvents() }).run();
  return { files, runs, teacherId: t.id };
}

async function distil(env: Awaited<ReturnType<typeof setup>>, kind: 'lrc' | 'mse', cache: string): Promise<Outcome> {
  const config = tinyConfig(env.files, {
    kind,
    teacher: { runId: env.teacherId },
    student: { ...TINY_STUDENT, dropout: 0.1 },
    optim: { batchSize: 8, epochs: 3, learningRate: 3e-3, warmupShare: 0.1 },
    logEverySteps: 1,
  });
  const r = createRun(env.runs, { kind, config });
  const dir = join(env.runs, r.id);
  const before = tf.memory().numTensors;
  const done = await new TrainingSession(dir, { events: quietEvents(), teacherCache: parseTeacherCache(cache, '--teacher-cache') }).run();
  assert.equal(done.status, 'finished');
  const metrics = readMetrics(join(dir, 'metrics.jsonl'));
  const pick = (type: string, keys: string[]) => metrics.filter((m) => m.type === type).map((m) => Object.fromEntries(keys.map((k) => [k, m[k]])));
  return {
    progress: pick('progress', ['step', 'stage', 'weights', 'clean', 'perturbed', 'learningRate', 'gradNorm']),
    evals: pick('eval', ['step', 'metrics', 'score', 'best', 'candidate']),
    exported: readFileSync(join(dir, 'export', 'model.safetensors')),
    checkpoint: readFileSync(join(dir, 'checkpoints', 'last', 'tensors.safetensors')),
    cache: metrics.filter((m) => m.type === 'teacherCache'),
    tensorsLeft: tf.memory().numTensors - before,
  };
}

for (const kind of ['lrc', 'mse'] as const) {
  test(`a ${kind} run gives the same numbers bit for bit with the teacher-output cache off, on and partial`, async () => {
    const env = await setup();
    const off = await distil(env, kind, 'off');
    const on = await distil(env, kind, 'auto');
    const start = on.cache.find((m) => m.event === 'start')!;
    assert.equal(start.enabled, true);
    assert.equal(start.fits, true);
    const half = ((start.estimateBytes as number) / 2 / 2 ** 20).toFixed(6);
    const partial = await distil(env, kind, half);

    assert.deepEqual(off.cache.map((m) => [m.event, m.enabled]), [['start', false]], 'off: only the start record, disabled');
    const steps = off.progress.length;
    assert.equal(steps, 36, '3 epochs of 12 steps, every step logged');
    for (const [name, run] of [['auto', on], ['partial', partial]] as const) {
      assert.deepStrictEqual(run.progress, off.progress, `${name}: every step's losses, gradient norm and learning rate`);
      assert.deepStrictEqual(run.evals, off.evals, `${name}: every evaluation`);
      assert.ok(run.exported.equals(off.exported), `${name}: the exported student's weights, byte for byte`);
      assert.ok(run.checkpoint.equals(off.checkpoint), `${name}: the last checkpoint (student, projections, AdamW moments), byte for byte`);
      assert.equal(run.tensorsLeft, 0, `${name}: every tensor freed`);
    }
    assert.equal(off.tensorsLeft, 0);

    // auto: epoch 1 computes the 96 examples, epochs 2 and 3 are served from the cache
    const end = on.cache.find((m) => m.event === 'end')!;
    assert.deepEqual([end.hits, end.misses], [192, 96]);
    assert.deepEqual(on.cache.filter((m) => m.event === 'epoch').map((m) => [m.epoch, m.hits, m.misses]), [[1, 0, 96], [2, 96, 96], [3, 192, 96]]);
    // partial: about half of the set is kept, within the budget, and hit in the mixed batches
    const p = partial.cache.find((m) => m.event === 'end')!;
    assert.equal(partial.cache.find((m) => m.event === 'start')!.fits, false);
    assert.ok((p.entries as number) > 20 && (p.entries as number) < 76, `partial entries ${p.entries}`);
    assert.ok((p.bytes as number) <= Number(half) * 2 ** 20);
    assert.ok((p.hits as number) > 0, `partial hits ${p.hits}`);
    assert.equal((p.hits as number) + (p.misses as number), 288);
  });
}
