// The teacher-output cache setting: the values of --teacher-cache and LRC_TEACHER_CACHE, the flag over
// the variable, errors that name the field, the estimate of a training set, and what 'auto' and a budget
// decide for a set that fits and one that does not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../../../trainer/errors';
import {
  autoCapBytes, describeTeacherCache, estimateTeacherCacheBytes, parseTeacherCache, planTeacherCache, resolveTeacherCache,
} from '../../../trainer/perf/teacherCacheSetting';

const GiB = 2 ** 30;
const MiB = 2 ** 20;

test('values: auto, off, a budget in MiB (0 is off), with spaces around', () => {
  assert.deepEqual(parseTeacherCache('auto', '--teacher-cache'), { mode: 'auto', source: '--teacher-cache' });
  assert.deepEqual(parseTeacherCache(' off ', 'LRC_TEACHER_CACHE'), { mode: 'off', source: 'LRC_TEACHER_CACHE' });
  assert.deepEqual(parseTeacherCache('512', '--teacher-cache'), { mode: 'budget', mib: 512, source: '--teacher-cache' });
  assert.deepEqual(parseTeacherCache('0.5', '--teacher-cache'), { mode: 'budget', mib: 0.5, source: '--teacher-cache' });
  assert.deepEqual(parseTeacherCache('0', '--teacher-cache'), { mode: 'off', source: '--teacher-cache' });
  assert.equal(describeTeacherCache(parseTeacherCache('512', '--teacher-cache')), '512 MiB (--teacher-cache)');
});

test('a bad value is an InputError naming the flag or the variable, what was expected and what was found', () => {
  for (const [value, field] of [['lots', '--teacher-cache'], ['-1', 'LRC_TEACHER_CACHE'], ['1e3', '--teacher-cache'], ['', '--teacher-cache'], ['Auto', 'LRC_TEACHER_CACHE'], ['512MiB', '--teacher-cache']] as const) {
    assert.throws(() => parseTeacherCache(value, field), (e: unknown) => {
      assert.ok(e instanceof InputError, `${value}: an InputError`);
      assert.equal(e.field, field);
      assert.equal(e.message, `${field}: expected 'auto', 'off' or a budget in MiB (a number, 0 = off), found ${JSON.stringify(value)}`);
      return true;
    });
  }
});

test('the flag wins over LRC_TEACHER_CACHE; an empty variable is unset; the default is auto', () => {
  assert.deepEqual(resolveTeacherCache('off', { LRC_TEACHER_CACHE: 'nonsense' }), { mode: 'off', source: '--teacher-cache' });
  assert.deepEqual(resolveTeacherCache(undefined, { LRC_TEACHER_CACHE: '256' }), { mode: 'budget', mib: 256, source: 'LRC_TEACHER_CACHE' });
  assert.deepEqual(resolveTeacherCache(undefined, { LRC_TEACHER_CACHE: '' }), { mode: 'auto', source: 'default' });
  assert.deepEqual(resolveTeacherCache(undefined, {}), { mode: 'auto', source: 'default' });
  assert.throws(() => resolveTeacherCache(undefined, { LRC_TEACHER_CACHE: 'big' }), /^InputError: LRC_TEACHER_CACHE: expected/);
  assert.throws(() => resolveTeacherCache('big', {}), /^InputError: --teacher-cache: expected/);
});

test('the estimate: mapped layers x real tokens x hidden x 4 bytes, plus the logits', () => {
  const examples = [{ inputIds: [1, 2, 3] }, { inputIds: [1, 2, 3, 4, 5] }];
  assert.equal(estimateTeacherCacheBytes(examples, { layers: 2, hidden: 128, labels: 2 }), 8 * 2 * 128 * 4 + 2 * 2 * 4);
  assert.equal(estimateTeacherCacheBytes([], { layers: 2, hidden: 128, labels: 2 }), 0);
});

test("auto: the cap is a quarter of the memory, at most 4 GiB; a set under it fits, a larger one is cached in part", () => {
  assert.equal(autoCapBytes(8 * GiB), 2 * GiB);
  assert.equal(autoCapBytes(64 * GiB), 4 * GiB);
  const auto = resolveTeacherCache(undefined, {});
  // the demo's LRC student: 500 mails of ~60 tokens, teacher layers 2 and 4 of hidden 128: ~30 MiB
  assert.deepEqual(planTeacherCache(auto, 30 * MiB, 8 * GiB), { enabled: true, budgetBytes: 2 * GiB, estimateBytes: 30 * MiB, fits: true });
  // SST-2 at the paper's shapes: ~10 GiB, more than the 4 GiB cap of a 64 GiB machine
  assert.deepEqual(planTeacherCache(auto, 10 * GiB, 64 * GiB), { enabled: true, budgetBytes: 4 * GiB, estimateBytes: 10 * GiB, fits: false });
});

test('a budget in MiB and off', () => {
  const budget = parseTeacherCache('100', '--teacher-cache');
  assert.deepEqual(planTeacherCache(budget, 30 * MiB), { enabled: true, budgetBytes: 100 * MiB, estimateBytes: 30 * MiB, fits: true });
  assert.deepEqual(planTeacherCache(budget, 300 * MiB), { enabled: true, budgetBytes: 100 * MiB, estimateBytes: 300 * MiB, fits: false });
  assert.deepEqual(planTeacherCache(parseTeacherCache('off', '--teacher-cache'), 30 * MiB), { enabled: false, budgetBytes: 0, estimateBytes: 30 * MiB, fits: false });
  assert.equal(planTeacherCache(parseTeacherCache('0.0000001', '--teacher-cache'), 30 * MiB).enabled, false, 'a budget under a byte is none');
});
