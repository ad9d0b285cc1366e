// The teacher-output store through the real session loop. lrc runs of three epochs from one teacher:
// without a store; with a store that starts empty (it computes and writes); then with the same store
// again, as a second run of a sweep (its first epoch reads every output from disk: the teacher never
// runs); then with a store whose shards were damaged (it warns and computes what it lost). All give the
// same losses, evaluations, checkpoint and export bit for bit. A float16 store gives the same numbers
// whether it starts empty or full (the rounding happens either way), and they are not those of float32.
// 'auto' writes nothing for a run outside a sweep whose outputs fit in memory, and reads a store that is there.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { useBackend } from '../helpers/backend';
import { tempDir } from '../helpers/tempDir';
import { createRun, updateRun } from '../../../trainer/runs/runStore';
import { readMetrics, type MetricsRecord } from '../../../trainer/runs/metricsLog';
import { TrainingSession } from '../../../trainer/session/trainingSession';
import { parseTeacherStore, type TeacherStoreSetting } from '../../../trainer/perf/teacherStoreSetting';
import { quietEvents, tinyConfig, TINY_STUDENT, TINY_TEACHER, writeTinyTask } from './tinyTask';

before(() => useBackend('wasm'));

interface Outcome {
  progress: unknown[];
  evals: unknown[];
  exported: Buffer;
  checkpoint: Buffer;
  cache: MetricsRecord[];
  warnings: string[];
}

async function setup() {
  const dir = tempDir();
  const files = writeTinyTask(dir);
  const runs = join(dir, 'runs');
  const t = createRun(runs, { kind: 'teacher', config: tinyConfig(files, { kind: 'teacher', model: TINY_TEACHER, optim: { batchSize: 8, epochs: 2, learningRate: 3e-3, warmupShare: 0.1 } }) });
  await new TrainingSession(join(runs, t.id), { events: quietEvents() }).run();
  return { dir, files, runs, teacherId: t.id };
}

type Env = Awaited<ReturnType<typeof setup>>;

async function distil(env: Env, store: TeacherStoreSetting | undefined, options: { inSweep?: boolean; seed?: number } = {}): Promise<Outcome> {
  const config = tinyConfig(env.files, {
    kind: 'lrc',
    teacher: { runId: env.teacherId },
    student: { ...TINY_STUDENT, dropout: 0.1 },
    optim: { batchSize: 8, epochs: 3, learningRate: 3e-3, warmupShare: 0.1 },
    logEverySteps: 1,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
  });
  const r = createRun(env.runs, { kind: 'lrc', config });
  const dir = join(env.runs, r.id);
  if (options.inSweep) updateRun(dir, (rec) => ({ ...rec, sweep: { id: 'test-sweep', cell: { method: 'lrc' } } }));
  const warnings: string[] = [];
  const events = { ...quietEvents(), log: (level: string, message: string) => { if (level === 'warn') warnings.push(message); } };
  const done = await new TrainingSession(dir, { events, teacherStore: store }).run();
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
  };
}

const folder = (path: string, dtype: 'float32' | 'float16' = 'float32') => parseTeacherStore(path, '--teacher-store', dtype);
const endOf = (o: Outcome) => o.cache.find((m) => m.event === 'end')!;
const epochs = (o: Outcome) => o.cache.filter((m) => m.event === 'epoch').map((m) => [m.epoch, m.hits, m.storeHits, m.misses]);

function assertSameNumbers(a: Outcome, b: Outcome, name: string): void {
  assert.deepStrictEqual(a.progress, b.progress, `${name}: every step's losses, gradient norm and learning rate`);
  assert.deepStrictEqual(a.evals, b.evals, `${name}: every evaluation`);
  assert.ok(a.exported.equals(b.exported), `${name}: the exported student, byte for byte`);
  assert.ok(a.checkpoint.equals(b.checkpoint), `${name}: the last checkpoint, byte for byte`);
}

test('an lrc run gives the same numbers bit for bit without a store, filling one, reading it and with damaged shards', async () => {
  const env = await setup();
  const store = join(env.dir, 'store');
  const none = await distil(env, undefined);
  const filling = await distil(env, folder(store));
  const reading = await distil(env, folder(store));
  assertSameNumbers(filling, none, 'filling the store');
  assertSameNumbers(reading, none, 'reading the store');

  // filling: epoch 1 computes the 96 examples and writes them; reading: epoch 1 reads them all from disk
  assert.deepEqual(epochs(filling), [[1, 0, 0, 96], [2, 96, 0, 96], [3, 192, 0, 96]]);
  assert.deepEqual(epochs(reading), [[1, 96, 96, 0], [2, 192, 96, 0], [3, 288, 96, 0]]);
  assert.equal((endOf(filling).store as { writes: number }).writes, 96);
  assert.equal((endOf(reading).store as { writes: number }).writes, 0);
  const storeStart = reading.cache.find((m) => m.event === 'store')!;
  assert.equal(storeStart.entries, 96);
  const [teacherDir] = readdirSync(store);
  assert.match(teacherDir, /^[0-9a-f]{24}$/);
  const description = JSON.parse(readFileSync(join(store, teacherDir, 'store.json'), 'utf8'));
  const cacheStart = reading.cache.find((m) => m.event === 'start')!;
  assert.deepEqual([description.dtype, description.backend, description.layers], ['float32', 'wasm', cacheStart.layers]);

  // damage every shard: the run warns, computes again, and its numbers do not move
  for (const n of readdirSync(join(store, teacherDir))) if (n.startsWith('shard-')) truncateSync(join(store, teacherDir, n), 100);
  const damaged = await distil(env, folder(store));
  assertSameNumbers(damaged, none, 'damaged shards');
  assert.ok(damaged.warnings.some((w) => /shard-.*\.bin is left out/.test(w)), damaged.warnings.join('\n'));
  assert.deepEqual(epochs(damaged)[0], [1, 0, 0, 96]);
});

test('a float16 store gives the same numbers empty or full, and rounds for real', async () => {
  const env = await setup();
  const store = join(env.dir, 'store16');
  const none = await distil(env, undefined);
  const empty = await distil(env, folder(store, 'float16'));
  const full = await distil(env, folder(store, 'float16'));
  assertSameNumbers(full, empty, 'float16, empty then full');
  assert.deepEqual(epochs(full)[0], [1, 96, 96, 0]);
  assert.notDeepStrictEqual(empty.progress, none.progress, 'the float16 rounding changes the losses');
});

test("'auto' writes for the runs of a sweep, not for a lone run that fits in memory, and reads what is there", async () => {
  const env = await setup();
  const auto = parseTeacherStore('auto', 'LRC_TEACHER_STORE', 'float32');
  const storeRoot = join(env.dir, 'teacher-outputs'); // beside the runs folder
  const lone = await distil(env, auto);
  assert.equal(existsSync(storeRoot), false, 'a lone run that fits in memory writes nothing');
  assert.match(String(lone.cache.find((m) => m.event === 'store')!.setting), /^auto, float32/);
  const first = await distil(env, auto, { inSweep: true, seed: 7 });
  assert.equal((endOf(first).store as { writes: number }).writes, 96);
  assert.equal(existsSync(storeRoot), true);
  const loneAgain = await distil(env, auto);
  assert.deepEqual(epochs(loneAgain)[0], [1, 96, 96, 0], 'a lone run reads the store a sweep wrote');
  assert.equal((endOf(loneAgain).store as { writes: number }).writes, 0);
  assertSameNumbers(loneAgain, lone, 'auto, reading');
});
