// The extension's trainer takes a run folder's claim lock as the CLI does (issue 24): a run another
// process holds (a terminal's lrc-distill) is refused with the holder, the folder untouched; once free it
// trains and leaves no lock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { TrainerClient } from '../../../extension/trainer/trainerClient';
import { FinishedEvent, StartRunRequest, type EventMessage } from '../../../trainer/protocol';
import { createRun, readRun } from '../../../trainer/runs/runStore';
import { tempDir } from '../helpers/tempDir';
import { tinyConfig, TINY_STUDENT, writeTinyTask } from '../session/tinyTask';

const root = join(__dirname, '..', '..', '..');

test('the trainer process refuses a run whose claim lock another live process holds, and takes it when free', async () => {
  const dir = tempDir();
  const files = writeTinyTask(dir);
  const runs = join(dir, 'runs');
  const r = createRun(runs, { kind: 'student', config: tinyConfig(files, { kind: 'student', student: TINY_STUDENT, optim: { batchSize: 8, maxSteps: 2 }, eval: { everySteps: 2 } }) });
  const runDir = join(runs, r.id);
  const now = new Date().toISOString();
  writeFileSync(join(runDir, 'run.lock'), JSON.stringify({ pid: process.pid, hostname: hostname(), startedAt: now, renewedAt: now }) + '\n');
  const before = readFileSync(join(runDir, 'run.json'), 'utf8');

  const events: EventMessage[] = [];
  const client = new TrainerClient({ script: join(root, 'trainer', 'main.ts'), cwd: root, execArgv: ['--import', 'tsx'], log: () => {}, requestTimeoutMs: 60_000 });
  client.onEvent((e) => events.push(e));
  try {
    await assert.rejects(client.request(StartRunRequest, { runDir, resume: true }), new RegExp(`run ${r.id} is claimed by process ${process.pid} on ${hostname()} \\(since ${now}; .*run\\.lock\\): it cannot be resumed twice`));
    assert.equal(readFileSync(join(runDir, 'run.json'), 'utf8'), before, 'run.json untouched');
    assert.equal(JSON.parse(readFileSync(join(runDir, 'run.lock'), 'utf8')).pid, process.pid, 'the holder\'s lock kept');

    writeFileSync(join(runDir, 'run.lock'), ''); // cut short: not a lock written whole, taken over
    await client.request(StartRunRequest, { runDir, resume: false });
    const t0 = Date.now();
    while (!events.some((e) => FinishedEvent.is(e)) && Date.now() - t0 < 120_000) await new Promise((res) => setTimeout(res, 50));
    assert.equal(readRun(runDir).status, 'finished');
    assert.ok(!existsSync(join(runDir, 'run.lock')), 'released when the run ended');
  } finally {
    await client.stop();
  }
});
