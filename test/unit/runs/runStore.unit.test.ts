import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, writeFileSync, appendFileSync, existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { tempDir } from '../helpers/tempDir';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { claimRun, createRun, findRunDir, listRuns, newRunId, readRun, shortRunId, updateRun } from '../../../trainer/runs/runStore';
import { appendMetrics, readMetrics } from '../../../trainer/runs/metricsLog';
import { runPaths } from '../../../trainer/runs/runFolder';

const fresh = () => tempDir('lrc-runs-');

test('a created run has its folder layout and a queued record', () => {
  const runsDir = fresh();
  const r = createRun(runsDir, { kind: 'lrc', config: { seed: 3 }, totalSteps: 100 });
  const dir = join(runsDir, r.id);
  assert.deepEqual(readdirSync(dir).sort(), ['analysis', 'checkpoints', 'config.json', 'run.json']);
  assert.equal(readRun(dir).status, 'queued');
  assert.equal(readRun(dir).progress.totalSteps, 100);
  assert.deepEqual(readdirSync(runsDir), [r.id], 'no temporary folder is left behind');
});

test('a live run whose process vanished is found crashed, and stays crashed', () => {
  const runsDir = fresh();
  const r = createRun(runsDir, { kind: 'mse', config: {} });
  const dir = join(runsDir, r.id);
  // a process that has exited: its pid is free
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  const deadPid = Number(dead.stdout);
  updateRun(dir, (x) => ({ ...x, status: 'running', owner: { pid: deadPid, hostname: hostname(), heartbeatAt: new Date().toISOString() } }));
  const seen = readRun(dir);
  assert.equal(seen.status, 'crashed');
  assert.match(seen.error!.message, new RegExp(`pid ${deadPid}`));
  assert.equal(readRun(dir).status, 'crashed', 'the crash was written to run.json');
});

test('a run owned by this live process stays running; a stale heartbeat makes it crashed', () => {
  const runsDir = fresh();
  const r = createRun(runsDir, { kind: 'lrc', config: {} });
  const dir = join(runsDir, r.id);
  claimRun(dir);
  assert.equal(readRun(dir).status, 'running');
  const anHourLater = Date.now() + 3600_000;
  assert.equal(readRun(dir, anHourLater).status, 'crashed');
});

test('listRuns reports a corrupt run.json by name instead of hiding it', () => {
  const runsDir = fresh();
  const good = createRun(runsDir, { kind: 'teacher', config: {} });
  const bad = join(runsDir, 'broken-run');
  createRun(runsDir, { kind: 'lrc', config: {} });
  mkdirSync(bad);
  writeFileSync(join(bad, 'run.json'), '{"formatVersion": 1, "id": "broken-run"');
  const { runs, broken } = listRuns(runsDir);
  assert.equal(runs.length, 2);
  assert.ok(runs.some((x) => x.id === good.id));
  assert.equal(broken.length, 1);
  assert.match(broken[0].error, /broken-run\/run\.json:1: expected valid JSON: /);
  const invalid = join(runsDir, 'invalid-run');
  mkdirSync(invalid);
  writeFileSync(join(invalid, 'run.json'), JSON.stringify({ formatVersion: 1, id: 'invalid-run', status: 'sleeping' }));
  const again = listRuns(runsDir);
  assert.match(again.broken.find((b) => b.id === 'invalid-run')!.error, /status: /);
});

test('findRunDir takes an id or a unique prefix and names the ambiguity', () => {
  const runsDir = fresh();
  const a = createRun(runsDir, { kind: 'lrc', config: {} }, new Date('2026-01-01T00:00:00Z'));
  createRun(runsDir, { kind: 'lrc', config: {} }, new Date('2026-01-01T00:00:00Z'));
  assert.equal(findRunDir(runsDir, a.id), join(runsDir, a.id));
  assert.throws(() => findRunDir(runsDir, '20260101'), /matches 2 runs/);
  assert.throws(() => findRunDir(runsDir, 'nope'), /no run 'nope'/);
});

test('metrics.jsonl skips a line cut by a crash but names a corrupt line in the middle', () => {
  const dir = fresh();
  const file = runPaths(dir).metrics;
  appendMetrics(file, { type: 'progress', step: 1, time: 't', loss: 0.5 });
  appendMetrics(file, { type: 'progress', step: 2, time: 't', loss: 0.4 });
  appendFileSync(file, '{"type":"progress","st');
  assert.deepEqual(readMetrics(file).map((m) => m.step), [1, 2]);
  writeFileSync(file, '{"type":"progress","step":1,"time":"t"}\nnot json\n{"type":"progress","step":3,"time":"t"}\n');
  assert.throws(() => readMetrics(file), /metrics\.jsonl:2: expected a JSON record on each line, found .*, which is not valid JSON/);
  assert.equal(existsSync(join(dir, 'nothing.jsonl')), false);
  assert.deepEqual(readMetrics(join(dir, 'nothing.jsonl')), []);
});

test('shortRunId: kind and suffix of a run id or of a path ending in one', () => {
  assert.equal(shortRunId('20261125-132844-lrc-589f24'), 'lrc-589f24');
  assert.equal(shortRunId('/tmp/lrc-e2e-x/runs/20261125-132844-pretrain-0a1b2c'), 'pretrain-0a1b2c');
  assert.equal(shortRunId('C:\\runs\\20261125-132844-mse-ffffff'), 'mse-ffffff');
  assert.equal(shortRunId('oddname'), 'oddname');
  const id = newRunId('teacher', new Date('2026-12-02T05:18:00Z'));
  assert.match(shortRunId(id), /^teacher-[0-9a-f]{6}$/);
});
