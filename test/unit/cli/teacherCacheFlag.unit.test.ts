// --teacher-cache and LRC_TEACHER_CACHE through the CLI: a bad value fails on one line naming the flag or
// the variable (exit 2) before a run folder is made, the flag wins over the variable, and a distillation
// says in its log what the setting decided and, at each epoch's end, the cache's counts. The same for
// --teacher-store and --teacher-store-dtype, and a second distillation from one teacher reads the first's store.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tempDir } from '../helpers/tempDir';
import { writeTinyTask } from '../session/tinyTask';

const root = join(__dirname, '..', '..', '..');

function cli(args: string[], cwd: string, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(require.resolve('tsx')).href, join(root, 'trainer', 'cli.ts'), ...args], {
    cwd, encoding: 'utf8', env: { ...process.env, LRC_TEACHER_CACHE: '', LRC_TEACHER_STORE: '', LRC_TEACHER_STORE_DTYPE: '', ...env },
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

test('a bad --teacher-store-dtype or LRC_TEACHER_STORE fails on one line before any run folder is made', () => {
  const dir = tempDir();
  const files = writeTinyTask(dir);
  const dtype = cli(['train-teacher', ...TASK(files), ...TINY, '--teacher-store-dtype', 'half'], dir);
  assert.equal(dtype.code, 2, dtype.err);
  assert.equal(dtype.err.trim(), `lrc-distill: --teacher-store-dtype: expected 'float32' (f32) or 'float16' (f16), found "half"`);
  const empty = cli(['train-teacher', ...TASK(files), ...TINY], dir, { LRC_TEACHER_STORE: ' ' });
  assert.equal(empty.code, 2, empty.err);
  assert.equal(empty.err.trim(), `lrc-distill: LRC_TEACHER_STORE: expected 'auto', 'on', 'off' or a folder, found " "`);
  assert.ok(!existsSync(join(dir, '.lrc', 'runs')), 'no run folder');
});

test('--teacher-store on: the first distillation writes the teacher outputs beside the runs folder, the second reads them', () => {
  const dir = tempDir();
  const files = writeTinyTask(dir);
  const teacher = cli(['train-teacher', ...TASK(files), ...TINY, '--layers', '2', '--hidden', '32', '--heads', '4', '--ffn', '64', '--epochs', '1', '--lr', '0.003'], dir);
  assert.equal(teacher.code, 0, teacher.err + teacher.out);
  const teacherId = /teacher run (\S+): finished/.exec(teacher.out)![1];
  const student = ['--layers', '1', '--hidden', '16', '--heads', '2', '--ffn', '32', '--epochs', '1', '--lr', '0.003'];
  const first = cli(['distill', '--teacher', teacherId, ...TASK(files), ...TINY, ...student, '--teacher-store', 'on'], dir);
  assert.equal(first.code, 0, first.err + first.out);
  const store = join(dir, '.lrc', 'teacher-outputs');
  assert.match(first.out, new RegExp(`teacher-output store on, float32 \\(--teacher-store\\): ${store.replace(/[/\\.]/g, '\\$&')}/[0-9a-f]{24}, 0 outputs of this teacher already there`));
  assert.match(first.out, /at the end \(step 12\): 0 hits, 96 misses, 96 entries, [\d.]+ MiB; store: 0 read, 96 written by this run, 96 outputs in 1 shards/);
  const second = cli(['distill', '--teacher', teacherId, ...TASK(files), ...TINY, ...student, '--seed', '5'], dir, { LRC_TEACHER_STORE: 'auto' });
  assert.equal(second.code, 0, second.err + second.out);
  assert.match(second.out, /teacher-output store auto, float32 \(LRC_TEACHER_STORE\): .*, 96 outputs of this teacher already there/);
  assert.match(second.out, /after epoch 1 \(step 12\): 96 hits, 0 misses, 96 entries, [\d.]+ MiB; store: 96 read, 0 written by this run/);

  // teacher-store: what the store holds, and removing it
  const listed = cli(['teacher-store', '--json'], dir);
  assert.equal(listed.code, 0, listed.err);
  const { root: listedRoot, stores } = JSON.parse(listed.out) as { root: string; stores: { id: string; outputs: number; shards: number; dtype: string; layers: number[]; teacher: string; problems: string[] }[] };
  assert.equal(listedRoot, store);
  assert.equal(stores.length, 1);
  assert.deepEqual([stores[0].outputs, stores[0].shards, stores[0].dtype, stores[0].layers, stores[0].problems], [96, 1, 'float32', [2], []]);
  assert.match(stores[0].teacher, new RegExp(`${teacherId}/export$`));
  const text = cli(['teacher-store'], dir);
  assert.match(text.out, new RegExp(`^  ${stores[0].id}  float32, layers \\[2\\], 96 outputs in 1 shards, [\\d.]+ MiB, teacher `, 'm'));
  const unknown = cli(['teacher-store', 'remove', 'ffff'], dir);
  assert.equal(unknown.code, 2);
  assert.equal(unknown.err.trim(), `lrc-distill: 'ffff' matches no store in ${store} (there: ${stores[0].id})`);
  const removed = cli(['teacher-store', 'remove', stores[0].id.slice(0, 6)], dir);
  assert.equal(removed.code, 0, removed.err);
  assert.match(removed.out, /^removed .*\(0\.\d MiB\)$/m);
  assert.deepEqual(readdirSync(store), []);
  assert.match(cli(['teacher-store'], dir).out, /^no teacher-output stores in /);
});
