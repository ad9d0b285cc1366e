// The teacher-output store through the real session loop. lrc runs of three epochs from one teacher:
// without a store; with a store that starts empty (it computes and writes); then with the same store
// again, as a second run of a sweep (its first epoch reads every output from disk: the teacher never
// runs); then with a store whose shards were damaged (it warns and computes what it lost). All give the
// same losses, evaluations, checkpoint and export bit for bit. A float16 store gives the same numbers
// whether it starts empty or full (the rounding happens either way), and they are not those of float32.
// 'auto' writes nothing for a run outside a sweep whose outputs fit in memory, and reads a store that is there.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useBackend } from '../helpers/backend';
import { parseTeacherStore, type TeacherStoreSetting } from '../../../trainer/perf/teacherStoreSetting';
import { assertSameNumbers, distilTiny, tinyTeacher, type DistilOutcome, type TinyTeacher } from './distilRuns';

before(() => useBackend('wasm'));

const distil = (env: TinyTeacher, store: TeacherStoreSetting | undefined, run: { inSweep?: boolean; seed?: number } = {}): Promise<DistilOutcome> =>
  distilTiny(env, 'lrc', { teacherStore: store }, run);

const folder = (path: string, dtype: 'float32' | 'float16' = 'float32') => parseTeacherStore(path, '--teacher-store', dtype);
const endOf = (o: DistilOutcome) => o.cache.find((m) => m.event === 'end')!;
const epochs = (o: DistilOutcome) => o.cache.filter((m) => m.event === 'epoch').map((m) => [m.epoch, m.hits, m.storeHits, m.misses]);

test('an lrc run gives the same numbers bit for bit without a store, filling one, reading it and with damaged shards', async () => {
  const env = await tinyTeacher();
  const store = join(env.dir, 'store');
  const none = await distil(env, undefined);
  const filling = await distil(env, folder(store));
  const reading = await distil(env, folder(store));
  assertSameNumbers(filling, none, 'filling the store');
  assertSameNumbers(reading, none, 'reading the store');
  for (const run of [none, filling, reading]) assert.equal(run.tensorsLeft, 0, 'every tensor freed');

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

  // a store folder that cannot be made (a file is in the way): a warning, and the run goes on without it
  const blocked = join(env.dir, 'a-file');
  writeFileSync(blocked, 'not a folder\n');
  const without = await distil(env, folder(blocked));
  assertSameNumbers(without, none, 'an unusable store folder');
  assert.ok(without.warnings.some((w) => w.startsWith(`teacher-output store ${blocked}: cannot be used (`)), without.warnings.join('\n'));
  assert.equal(readFileSync(blocked, 'utf8'), 'not a folder\n');
});

test('a float16 store gives the same numbers empty or full, and rounds for real', async () => {
  const env = await tinyTeacher();
  const store = join(env.dir, 'store16');
  const none = await distil(env, undefined);
  const empty = await distil(env, folder(store, 'float16'));
  const full = await distil(env, folder(store, 'float16'));
  assertSameNumbers(full, empty, 'float16, empty then full');
  assert.deepEqual(epochs(full)[0], [1, 96, 96, 0]);
  assert.notDeepStrictEqual(empty.progress, none.progress, 'the float16 rounding changes the losses');
});

test("'auto' writes for the runs of a sweep, not for a lone run that fits in memory, and reads what is there", async () => {
  const env = await tinyTeacher();
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
