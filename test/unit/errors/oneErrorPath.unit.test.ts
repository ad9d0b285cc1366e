// The trainer process (as the extension runs it) and the CLI say the same line for the same bad input:
// the status and finished events, the failed run's run.json and metrics.jsonl, and the CLI's stderr.
// A run whose checkpoint cannot be read is refused through the trainer too, its folder untouched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TrainerClient } from '../../../extension/trainer/trainerClient';
import { ControlRunRequest, FinishedEvent, StartRunRequest, StatusEvent, type EventMessage } from '../../../trainer/protocol';
import { createRun, readRun } from '../../../trainer/runs/runStore';
import { tempDir } from '../helpers/tempDir';
import { tinyConfig, TINY_TEACHER, writeTinyTask } from '../session/tinyTask';
import { changed, cli, snapshot } from './cliRun';

const root = join(__dirname, '..', '..', '..');

async function startInTrainer(runDir: string, resume: boolean): Promise<EventMessage[]> {
  const events: EventMessage[] = [];
  const client = new TrainerClient({ script: join(root, 'trainer', 'main.ts'), cwd: root, execArgv: ['--import', 'tsx'], log: () => {}, requestTimeoutMs: 60_000 });
  client.onEvent((e) => events.push(e));
  try {
    await client.request(StartRunRequest, { runDir, resume });
    const t0 = Date.now();
    while (!events.some((e) => FinishedEvent.is(e))) {
      if (Date.now() - t0 > 60_000) throw new Error(`no finished event: ${events.map((e) => e.event).join(' ')}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    await assert.rejects(client.request(ControlRunRequest, { type: 'pause' }), { message: 'no run is running in this trainer' }); // the run is over
  } finally {
    await client.stop();
  }
  return events;
}

test('a bad dev label: the same one line from the trainer process (events, run.json, metrics.jsonl) and from the CLI', async () => {
  const dir = tempDir('lrc-one-path-');
  const files = writeTinyTask(dir, 16, 8);
  writeFileSync(files.dev, 'sentence\tlabel\na good film\tpos\nso so\tneutral\n');
  const config = tinyConfig(files, { kind: 'teacher', model: TINY_TEACHER, labelNames: undefined });
  delete (config.data as { labelNames?: unknown }).labelNames;
  const runs = join(dir, 'runs');
  const record = createRun(runs, { kind: 'teacher', config });
  const events = await startInTrainer(join(runs, record.id), false);

  const expected = `${files.dev}:3: column "label": expected one of "pos", "neg" (the labels of train.tsv), found "neutral"`;
  const failed = events.find((e) => StatusEvent.is(e) && e.data.status === 'failed')!.data as { error: { message: string; where?: string; stack?: string } };
  assert.deepEqual(failed.error, { message: expected, where: `${files.dev}:3` }, 'no stack without LRC_DEBUG');
  assert.equal((events.find((e) => FinishedEvent.is(e))!.data as { error: string }).error, expected);
  const run = readRun(join(runs, record.id));
  assert.equal(run.status, 'failed');
  assert.equal(run.error?.message, expected);
  const log = readFileSync(join(runs, record.id, 'metrics.jsonl'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { type: string; error?: string });
  assert.equal(log[log.length - 1].error, expected);

  const configFile = join(dir, 'config.json');
  writeFileSync(configFile, JSON.stringify(config, null, 2));
  const r = cli(['train-teacher', '--config', configFile, '--runs', join(dir, 'cli-runs'), '--plain'], dir);
  assert.equal(r.code, 2);
  assert.equal(r.stderr, `lrc-distill: ${expected}\n`);
});

test('a checkpoint that cannot be read: refused through the trainer and the CLI alike, the run folder left as it was', async () => {
  const dir = tempDir('lrc-one-path-');
  const files = writeTinyTask(dir, 16, 8);
  const runs = join(dir, 'runs');
  const record = createRun(runs, { kind: 'teacher', config: tinyConfig(files, { kind: 'teacher', model: TINY_TEACHER, optim: { batchSize: 8, maxSteps: 2 }, eval: { everySteps: 2 } }) });
  const runDir = join(runs, record.id);
  await startInTrainer(runDir, false);
  assert.equal(readRun(runDir).status, 'finished');
  // as if it had stopped, with a state.json that a disk error cut short
  const stopped = { ...readRun(runDir), status: 'stopped' };
  writeFileSync(join(runDir, 'run.json'), JSON.stringify(stopped, null, 2) + '\n');
  writeFileSync(join(runDir, 'checkpoints', 'last', 'state.json'), '{\n "format": "lrc-distill-training-checkpoint",\n "version": 1,\n "state": {\n');
  const before = snapshot(runDir);

  const events = await startInTrainer(runDir, true);
  const expected = `${join(runDir, 'checkpoints', 'last', 'state.json')}:5: expected valid JSON: a string in double quotes, found the end of the file`;
  assert.equal((events.find((e) => FinishedEvent.is(e))!.data as { error: string }).error, expected);
  assert.ok(!events.some((e) => StatusEvent.is(e)), 'no status change: the run was never claimed');
  const r = cli(['resume', record.id, '--runs', runs, '--plain'], dir);
  assert.equal(r.code, 2);
  assert.equal(r.stderr, `lrc-distill: ${expected}\n`);
  assert.deepEqual(changed(before, snapshot(runDir)), [], 'nothing in the run folder changed');
});
