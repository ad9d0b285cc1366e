// A run driven through the trainer process and its protocol, as the extension drives it: start,
// pause, resume, next stage, stop; a trainer killed with SIGKILL leaves a crashed run that resumes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { TrainerClient } from '../../../extension/trainer/trainerClient';
import { ControlRunRequest, FinishedEvent, ProgressEvent, StartRunRequest, StatusEvent, type EventMessage } from '../../../trainer/protocol';
import { createRun, readRun } from '../../../trainer/runs/runStore';
import { readMetrics } from '../../../trainer/runs/metricsLog';
import { tempDir } from '../helpers/tempDir';
import { tinyConfig, TINY_STUDENT, TINY_TEACHER, writeTinyTask } from '../session/tinyTask';

const root = join(__dirname, '..', '..', '..');

function trainer() {
  const events: EventMessage[] = [];
  const client = new TrainerClient({ script: join(root, 'trainer', 'main.ts'), cwd: root, execArgv: ['--import', 'tsx'], log: () => {}, requestTimeoutMs: 60_000 });
  client.onEvent((e) => events.push(e));
  const waitFor = async (pred: (e: EventMessage) => boolean, what: string, timeoutMs = 60_000) => {
    const t0 = Date.now();
    for (;;) {
      const hit = events.find(pred);
      if (hit) return hit;
      if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}; events: ${events.map((e) => e.event).join(' ')}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return { client, events, waitFor };
}

async function teacherRun(dir: string) {
  const files = writeTinyTask(dir);
  const runs = join(dir, 'runs');
  const t = createRun(runs, { kind: 'teacher', config: tinyConfig(files, { kind: 'teacher', model: TINY_TEACHER }) });
  const { client, waitFor } = trainer();
  try {
    await client.request(StartRunRequest, { runDir: join(runs, t.id), resume: false });
    await waitFor((e) => FinishedEvent.is(e), 'the teacher to finish');
  } finally {
    await client.stop();
  }
  assert.equal(readRun(join(runs, t.id)).status, 'finished');
  return { files, runs, teacherId: t.id };
}

test('start, pause, resume, next stage and stop through the protocol', async () => {
  const { files, runs, teacherId } = await teacherRun(tempDir());
  const r = createRun(runs, { kind: 'lrc', config: tinyConfig(files, { kind: 'lrc', teacher: { runId: teacherId }, student: TINY_STUDENT, logEverySteps: 1, optim: { batchSize: 8, epochs: 40 } }) });
  const dir = join(runs, r.id);
  const { client, events, waitFor } = trainer();
  try {
    assert.deepEqual(await client.request(StartRunRequest, { runDir: dir, resume: false }), { runId: r.id });
    await waitFor((e) => ProgressEvent.is(e) && e.data.step >= 2, 'progress');
    await client.request(ControlRunRequest, { type: 'pause' });
    await waitFor((e) => StatusEvent.is(e) && e.data.status === 'paused', 'paused');
    assert.equal(readRun(dir).status, 'paused');
    const stepWhenPaused = readRun(dir).progress.step;
    await new Promise((r) => setTimeout(r, 300));
    const progressWhilePaused = events.filter((e) => ProgressEvent.is(e) && e.data.step > stepWhenPaused + 1);
    assert.equal(progressWhilePaused.length, 0, 'no steps while paused');
    await client.request(ControlRunRequest, { type: 'nextStage' });
    await client.request(ControlRunRequest, { type: 'resume' });
    await waitFor((e) => ProgressEvent.is(e) && e.data.stage === 2, 'stage 2');
    await client.request(ControlRunRequest, { type: 'stop' });
    const finished = await waitFor((e) => FinishedEvent.is(e), 'finished');
    assert.equal((finished.data as { status: string }).status, 'stopped');
    const record = readRun(dir);
    assert.equal(record.status, 'stopped');
    assert.ok(record.progress.step < record.progress.totalSteps);
    const controls = readMetrics(join(dir, 'metrics.jsonl')).filter((m) => m.type === 'control').map((m) => (m.request as { type: string }).type);
    assert.deepEqual(controls, ['pause', 'nextStage', 'resume', 'stop']);
    await assert.rejects(client.request(ControlRunRequest, { type: 'pause' }), /no run is running in this trainer/);
    await assert.rejects(client.request(StartRunRequest, { runDir: join(runs, 'no-such-run'), resume: false }), /not a run folder/);
  } finally {
    await client.stop();
  }
});

test('a trainer killed with SIGKILL leaves a crashed run that resumes from its last checkpoint and finishes', async () => {
  const { files, runs, teacherId } = await teacherRun(tempDir());
  const r = createRun(runs, { kind: 'lrc', config: tinyConfig(files, { kind: 'lrc', teacher: { runId: teacherId }, student: TINY_STUDENT, eval: { everySteps: 5, batchSize: 16 }, optim: { batchSize: 8, epochs: 8 } }) });
  const dir = join(runs, r.id);
  const first = trainer();
  await first.client.request(StartRunRequest, { runDir: dir, resume: false });
  await first.waitFor((e) => e.event === 'checkpoint' && (e.data as { best: boolean }).best === false && (e.data as { step: number }).step >= 10, 'a checkpoint at step 10');
  const exited = new Promise((res) => first.client.onExit(res));
  process.kill(first.client.pid!, 'SIGKILL');
  await exited;
  const crashed = readRun(dir);
  assert.equal(crashed.status, 'crashed');
  assert.match(crashed.error!.message, /vanished/);

  const second = trainer();
  try {
    await second.client.request(StartRunRequest, { runDir: dir, resume: true });
    const done = await second.waitFor((e) => FinishedEvent.is(e), 'the resumed run to finish');
    assert.equal((done.data as { status: string }).status, 'finished');
  } finally {
    await second.client.stop();
  }
  const record = readRun(dir);
  assert.equal(record.status, 'finished');
  const starts = readMetrics(join(dir, 'metrics.jsonl')).filter((m) => m.type === 'start');
  assert.equal(starts.length, 2);
  assert.ok((starts[1].step as number) >= 10, `resumed from step ${starts[1].step}`);
});

test('a trainer sent SIGTERM from outside stops its run after a checkpoint and exits: the run is stopped, not left running', async () => {
  const { files, runs, teacherId } = await teacherRun(tempDir());
  const r = createRun(runs, { kind: 'lrc', config: tinyConfig(files, { kind: 'lrc', teacher: { runId: teacherId }, student: TINY_STUDENT, logEverySteps: 1, optim: { batchSize: 8, epochs: 40 } }) });
  const dir = join(runs, r.id);
  const { client, waitFor } = trainer();
  try {
    await client.request(StartRunRequest, { runDir: dir, resume: false });
    await waitFor((e) => ProgressEvent.is(e) && e.data.step >= 3, 'progress');
    const exited = new Promise<unknown>((res) => client.onExit(res));
    process.kill(client.pid!, 'SIGTERM');
    await exited;
    const record = readRun(dir);
    assert.equal(record.status, 'stopped', 'it used to exit at once, the run left running (then shown as crashed)');
    assert.ok(record.progress.step >= 3 && record.progress.step < record.progress.totalSteps);
    const last = readMetrics(join(dir, 'metrics.jsonl')).filter((m) => m.type === 'checkpoint').pop();
    assert.equal(last?.step, record.progress.step, 'a checkpoint where it stopped: it resumes from there');
  } finally {
    await client.stop();
  }
});
