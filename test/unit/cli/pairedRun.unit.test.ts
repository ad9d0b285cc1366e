// distill --baseline whose LRC run fails before it starts (here: its teacher's config.json is not JSON):
// the paired MSE run is not left "queued" for ever: it is ended failed with the reason in its run.json
// and metrics.jsonl, `runs` lists it failed, and it can still be trained on its own with resume.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { endUnstarted } from '../../../trainer/runs/runStore';
import { cli } from '../errors/cliRun';
import { SHAPE, TINY } from '../errors/catalogue';
import { writeTinyTask } from '../session/tinyTask';
import { tempDir } from '../helpers/tempDir';

test('distill --baseline: the LRC run fails before it starts, the MSE run is marked failed with the reason (not queued)', () => {
  const dir = tempDir('lrc-paired-');
  const files = writeTinyTask(dir, 32, 16);
  const task = ['--task', 'file', '--train', files.train, '--dev', files.dev, '--text-column', 'sentence', '--label-column', 'label'];
  const teacher = cli(['train-teacher', ...task, ...SHAPE, ...TINY], dir);
  assert.equal(teacher.code, 0, teacher.stderr);
  const teacherId = /teacher run (\S+): finished/.exec(teacher.stdout)![1];
  const folder = join(dir, '.lrc', 'runs', teacherId, 'export');
  writeFileSync(join(folder, 'config.json'), '{\n  "hidden_size": 16,\n}\n');

  const r = cli(['distill', '--teacher', folder, '--baseline', ...task, ...SHAPE, ...TINY], dir);
  assert.equal(r.code, 2, r.stderr + r.stdout);
  const runsDir = join(dir, '.lrc', 'runs');
  const read = (id: string) => JSON.parse(readFileSync(join(runsDir, id, 'run.json'), 'utf8')) as { id: string; kind: string; status: string; pairedRunId?: string; error?: { message: string } };
  const records = readdirSync(runsDir).filter((n) => !n.startsWith('.') && n !== teacherId).map(read);
  const lrc = records.find((x) => x.kind === 'lrc')!;
  const mse = records.find((x) => x.kind === 'mse')!;
  assert.equal(lrc.status, 'failed');
  assert.equal(mse.pairedRunId, lrc.id);
  const reason = `not started: its paired LRC run ${lrc.id} failed (${lrc.error!.message}); lrc-distill resume ${mse.id} trains it on its own`;
  assert.equal(mse.status, 'failed');
  assert.equal(mse.error?.message, reason);
  assert.ok(r.stderr.includes(reason), r.stderr);
  const log = readFileSync(join(runsDir, mse.id, 'metrics.jsonl'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { type: string; status?: string; error?: string });
  assert.deepEqual(log.map((x) => [x.type, x.status, x.error]), [['status', 'failed', reason]]);
  // a run that is no longer queued is left alone (nothing rewritten, nothing appended)
  assert.equal(endUnstarted(join(runsDir, mse.id), 'stopped', 'other'), undefined);
  assert.equal(read(mse.id).error?.message, reason);
  assert.equal(readFileSync(join(runsDir, mse.id, 'metrics.jsonl'), 'utf8').trimEnd().split('\n').length, 1);
  // `runs` shows it failed, not queued
  const runs = cli(['runs'], dir);
  assert.equal(runs.code, 0, runs.stderr);
  const line = runs.stdout.split('\n').find((l) => l.includes(mse.id.split('-').slice(2).join('-')) || l.includes(mse.id));
  assert.ok(line, runs.stdout);
  assert.match(line!, /failed/);
  assert.doesNotMatch(runs.stdout, /queued/);
});
