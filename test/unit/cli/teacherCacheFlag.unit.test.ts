// --teacher-cache and LRC_TEACHER_CACHE through the CLI: a bad value fails on one line naming the flag or
// the variable (exit 2) before a run folder is made, the flag wins over the variable, and a distillation
// says in its log what the setting decided and, at each epoch's end, the cache's counts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tempDir } from '../helpers/tempDir';
import { writeTinyTask } from '../session/tinyTask';

const root = join(__dirname, '..', '..', '..');

function cli(args: string[], cwd: string, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(require.resolve('tsx')).href, join(root, 'trainer', 'cli.ts'), ...args], {
    cwd, encoding: 'utf8', env: { ...process.env, LRC_TEACHER_CACHE: '', ...env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const TASK = (files: { train: string; dev: string }) => ['--task', 'file', '--train', files.train, '--dev', files.dev, '--text-column', 'sentence', '--label-column', 'label'];
const TINY = ['--max-length', '16', '--batch-size', '8', '--eval-every', '12', '--plain', '--backend', 'wasm', '--no-analysis'];
const EXPECTED = "expected 'auto', 'off' or a budget in MiB (a number, 0 = off)";

test('a bad --teacher-cache or LRC_TEACHER_CACHE fails on one line before any run folder is made; the flag wins', () => {
  const dir = tempDir();
  const files = writeTinyTask(dir);
  const flag = cli(['distill', '--teacher', 'x', ...TASK(files), ...TINY, '--teacher-cache', 'lots'], dir);
  assert.equal(flag.code, 2, flag.err);
  assert.equal(flag.err.trim(), `lrc-distill: --teacher-cache: ${EXPECTED}, found "lots"`);
  const variable = cli(['train-teacher', ...TASK(files), ...TINY], dir, { LRC_TEACHER_CACHE: '2GiB' });
  assert.equal(variable.code, 2, variable.err);
  assert.equal(variable.err.trim(), `lrc-distill: LRC_TEACHER_CACHE: ${EXPECTED}, found "2GiB"`);
  assert.ok(!existsSync(join(dir, '.lrc', 'runs')), 'no run folder');
  // with a good flag the variable is not read: the command goes on to its next error (no teacher)
  const wins = cli(['distill', ...TASK(files), ...TINY, '--teacher-cache', 'off'], dir, { LRC_TEACHER_CACHE: '2GiB' });
  assert.equal(wins.code, 2);
  assert.doesNotMatch(wins.err, /LRC_TEACHER_CACHE/);
  assert.match(wins.err, /needs a teacher/);
});

test('a distillation logs the decision and the counts at each epoch end; a teacher run says nothing of it', () => {
  const dir = tempDir();
  const files = writeTinyTask(dir);
  const teacher = cli(['train-teacher', ...TASK(files), ...TINY, '--layers', '2', '--hidden', '32', '--heads', '4', '--ffn', '64', '--epochs', '1', '--lr', '0.003'], dir);
  assert.equal(teacher.code, 0, teacher.err + teacher.out);
  assert.doesNotMatch(teacher.out, /teacher-output cache/);
  const teacherId = /teacher run (\S+): finished/.exec(teacher.out)![1];
  const student = ['--layers', '1', '--hidden', '16', '--heads', '2', '--ffn', '32', '--epochs', '2', '--lr', '0.003'];
  const distill = cli(['distill', '--teacher', teacherId, ...TASK(files), ...TINY, ...student], dir, { LRC_TEACHER_CACHE: '1' });
  assert.equal(distill.code, 0, distill.err + distill.out);
  assert.match(distill.out, /teacher-output cache 1 MiB \(LRC_TEACHER_CACHE\): teacher layers \[2\] of 96 training examples need 0\.\d\d MiB, budget 1\.00 MiB; all fit/);
  assert.match(distill.out, /teacher-output cache after epoch 1 \(step 12\): 0 hits, 96 misses, 96 entries, 0\.\d\d MiB/);
  assert.match(distill.out, /teacher-output cache after epoch 2 \(step 24\): 96 hits, 96 misses, 96 entries/);
  assert.match(distill.out, /teacher-output cache at the end \(step 24\): 96 hits, 96 misses/);
  const off = cli(['distill', '--teacher', teacherId, ...TASK(files), ...TINY, ...student, '--teacher-cache', 'off'], dir, { LRC_TEACHER_CACHE: '1' });
  assert.equal(off.code, 0, off.err + off.out);
  assert.match(off.out, /teacher-output cache off \(--teacher-cache\): the teacher runs at every step/);
  assert.doesNotMatch(off.out, /hits/);
});
