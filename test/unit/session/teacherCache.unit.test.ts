// The teacher-output cache through the real session loop: lrc and mse runs of three epochs, with the
// cache off, on ('auto': the whole set) and partial (a budget for about half the set, so batches mix
// cached and computed rows), log the same losses and evaluations and end with the same weights, bit for
// bit (deepStrictEqual compares numbers with Object.is; the safetensors files byte for byte), and the
// cache is hit. Batches are padded to their longest example, so an example is served in another batch,
// at another padded length, than the one it was computed in.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { useBackend } from '../helpers/backend';
import { parseTeacherCache } from '../../../trainer/perf/teacherCacheSetting';
import { assertSameNumbers, distilTiny, tinyTeacher, type DistilOutcome, type TinyTeacher } from './distilRuns';

before(() => useBackend('wasm'));

const distil = (env: TinyTeacher, kind: 'lrc' | 'mse', cache: string): Promise<DistilOutcome> =>
  distilTiny(env, kind, { teacherCache: parseTeacherCache(cache, '--teacher-cache') });

for (const kind of ['lrc', 'mse'] as const) {
  test(`a ${kind} run gives the same numbers bit for bit with the teacher-output cache off, on and partial`, async () => {
    const env = await tinyTeacher();
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
      assertSameNumbers(run, off, name);
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
