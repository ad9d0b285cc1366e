// run.json's read-modify-write under its record lock (issue 24): processes changing one run.json at once
// lose no change (each used to read, change and rename on its own: the last rename won), a lock left by a
// process that died within a change is taken over, and marking a run crashed is judged again under the lock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { claimRun, createRun, readRun, readRunRecord, updateRun } from '../../../trainer/runs/runStore';
import { tempDir } from '../helpers/tempDir';

const store = join(__dirname, '..', '..', '..', 'trainer', 'runs', 'runStore.ts');

test('four processes adding 1 to one field of run.json 150 times each: 600, none lost', async () => {
  const runs = tempDir('lrc-record-');
  const r = createRun(runs, { kind: 'student', config: { kind: 'student' } });
  const dir = join(runs, r.id);
  const script = `const { updateRun } = require(${JSON.stringify(store)});
    for (let i = 0; i < 150; i++) updateRun(${JSON.stringify(dir)}, (r) => ({ ...r, progress: { ...r.progress, totalSteps: r.progress.totalSteps + 1 } }));`;
  const codes = await Promise.all(Array.from({ length: 4 }, () => new Promise<number | null>((res) => {
    const child = spawn(process.execPath, ['--import', pathToFileURL(require.resolve('tsx')).href, '-e', script], { stdio: 'inherit' });
    child.on('exit', res);
  })));
  assert.deepEqual(codes, [0, 0, 0, 0]);
  assert.equal(readRunRecord(dir).progress.totalSteps, 600);
  assert.ok(!existsSync(join(dir, 'run.json.lock')));
});

test('a record lock left by a process that died within a change is taken over; an unchanged record is not rewritten', () => {
  const runs = tempDir('lrc-record-');
  const r = createRun(runs, { kind: 'student', config: { kind: 'student' } });
  const dir = join(runs, r.id);
  const lock = join(dir, 'run.json.lock');
  writeFileSync(lock, '99999 elsewhere 2026-01-01T00:00:00.000Z\n');
  const old = new Date(Date.now() - 60_000);
  utimesSync(lock, old, old);
  const t0 = Date.now();
  assert.equal(updateRun(dir, (x) => ({ ...x, name: 'renamed' })).name, 'renamed');
  assert.ok(Date.now() - t0 < 1000);
  assert.ok(!existsSync(lock));
  const same = readRunRecord(dir);
  assert.equal(updateRun(dir, (x) => x).name, same.name);
});

test('marking a run crashed is judged again under the lock: a run claimed by a live process is left alone', () => {
  const runs = tempDir('lrc-record-');
  const r = createRun(runs, { kind: 'student', config: { kind: 'student' } });
  const dir = join(runs, r.id);
  claimRun(dir);
  updateRun(dir, (x) => ({ ...x, owner: { pid: 2 ** 22 + 12345, hostname: hostname(), heartbeatAt: new Date().toISOString() } })); // a pid that is not there
  assert.equal(readRun(dir).status, 'crashed');
  claimRun(dir); // resumed by this (live) process
  assert.equal(readRun(dir).status, 'running');
  assert.equal(readRun(dir).owner?.pid, process.pid);
});

test('a fresh record lock whose holder on this host is dead (SIGKILL within a change) is taken over at once; a live holder is waited for', () => {
  const runs = tempDir('lrc-record-');
  const r = createRun(runs, { kind: 'student', config: { kind: 'student' } });
  const dir = join(runs, r.id);
  const lock = join(dir, 'run.json.lock');
  writeFileSync(lock, `${2 ** 22 + 12345} ${hostname()} ${new Date().toISOString()} abc\n`); // a pid that is not there, written just now
  const t0 = Date.now();
  assert.equal(updateRun(dir, (x) => ({ ...x, name: 'after a kill -9' })).name, 'after a kill -9');
  assert.ok(Date.now() - t0 < 1000, `took ${Date.now() - t0} ms: the dead holder's lock was waited out`);
  assert.ok(!existsSync(lock));
});

test('releasing removes only this change\'s own lock, never one another process took over meanwhile', () => {
  const runs = tempDir('lrc-record-');
  const r = createRun(runs, { kind: 'student', config: { kind: 'student' } });
  const dir = join(runs, r.id);
  const lock = join(dir, 'run.json.lock');
  const theirs = `${process.pid} ${hostname()} ${new Date().toISOString()} theirs\n`;
  // within the change, the lock is replaced (as a takeover after a stale judgement would): the release leaves it
  updateRun(dir, (x) => {
    writeFileSync(lock, theirs);
    return { ...x, name: 'changed' };
  });
  assert.equal(readFileSync(lock, 'utf8'), theirs);
});
