// A sweep member that trained some steps and died before its first checkpoint (the machine went away)
// is started again by the sweep from step 0, its attempt moved whole to `<runs>/.abandoned/`; a run that
// has a checkpoint is not touched (it resumes from it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { planSweep } from '../../../trainer/sweep/plan';
import { readSweepFile } from '../../../trainer/sweep/sweepFile';
import { createSweep } from '../../../trainer/sweep/sweepStore';
import { readRun, updateRun } from '../../../trainer/runs/runStore';
import { stepsWithoutCheckpoint } from '../../../trainer/runs/unresumable';
import { tempDir } from '../helpers/tempDir';

const root = join(__dirname, '..', '..', '..');
const TINY = join(root, 'experiments', 'sweeps', 'tiny.sweep.json');
const TSX = ['--import', pathToFileURL(require.resolve('tsx')).href, join(root, 'trainer', 'cli.ts')];

/** What a trainer killed at step 5 (before its first checkpoint) leaves: history, no checkpoints/last. */
function crashAt(dir: string, step: number): string {
  const lines = [1, 2, 3, 4, 5].filter((s) => s <= step).map((s) => JSON.stringify({ type: 'progress', runId: 'x', step: s, totalSteps: 48, clean: { total: 9.25 } }));
  const history = lines.join('\n') + '\n';
  writeFileSync(join(dir, 'metrics.jsonl'), history);
  updateRun(dir, (r) => ({ ...r, status: 'crashed', progress: { ...r.progress, step }, error: { message: 'the trainer process (pid 1) vanished while the run was running' } }));
  return history;
}

test('sweep-task of a member killed before its first checkpoint: the attempt kept whole in .abandoned, the run trained again from step 0', { timeout: 300_000 }, () => {
  const cwd = tempDir();
  const runsDir = join(cwd, 'runs');
  const plan = planSweep(readSweepFile(TINY), TINY, 'tiny');
  const { dir: sweepDir, record } = createSweep(join(cwd, 'sweeps'), { plan, file: TINY, cwd, runsDir, executor: 'local', slurm: { args: [], setup: [] } });
  const teacherId = record.teachers[0].runId;
  const runDir = join(runsDir, teacherId);
  const history = crashAt(runDir, 5);
  assert.equal(stepsWithoutCheckpoint(runDir, readRun(runDir)), 5);

  const r = spawnSync(process.execPath, [...TSX, 'sweep-task', sweepDir, teacherId, '--plain'], { cwd, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr + r.stdout);
  const kept = readdirSync(join(runsDir, '.abandoned'));
  assert.equal(kept.length, 1);
  assert.match(kept[0], new RegExp(`^${teacherId}-\\d{8}T\\d{6}Z$`));
  assert.match(r.stdout, new RegExp(`had trained 5 steps with no checkpoint to go on from: that attempt is kept, as it was, in .*${kept[0]}`));
  const attempt = join(runsDir, '.abandoned', kept[0]);
  assert.equal(readFileSync(join(attempt, 'metrics.jsonl'), 'utf8'), history, 'the attempt\'s history, byte for byte');
  assert.equal(readRun(attempt).status, 'crashed');

  const done = readRun(runDir);
  assert.equal(done.status, 'finished');
  const records = readFileSync(join(runDir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.ok(!records.some((m) => m.clean?.total === 9.25), 'none of the old history in the new run');
  assert.equal(records.find((m) => m.type === 'start')?.resumed, false);
  assert.deepEqual(readdirSync(runsDir).filter((n) => !n.startsWith('.')).sort(), [...record.teachers, ...record.runs].map((m) => m.runId).sort(), 'no extra run folder');
});

test('a member with a checkpoint, or with no steps, is not set aside', () => {
  const cwd = tempDir();
  const runsDir = join(cwd, 'runs');
  const plan = planSweep(readSweepFile(TINY), TINY, 'tiny');
  const { record } = createSweep(join(cwd, 'sweeps'), { plan, file: TINY, cwd, runsDir, executor: 'local', slurm: { args: [], setup: [] } });
  const fresh = join(runsDir, record.teachers[0].runId);
  assert.equal(stepsWithoutCheckpoint(fresh, readRun(fresh)), 0);
  const checkpointed = join(runsDir, record.teachers[1].runId);
  crashAt(checkpointed, 5);
  mkdirSync(join(checkpointed, 'checkpoints', 'last'), { recursive: true });
  writeFileSync(join(checkpointed, 'checkpoints', 'last', 'state.json'), '{}');
  assert.equal(stepsWithoutCheckpoint(checkpointed, readRun(checkpointed)), 0);
  assert.ok(!existsSync(join(runsDir, '.abandoned')));
});
