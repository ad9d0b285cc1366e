// `lrc-distill demo --quick` on the real SpamAssassin corpus: the four runs, the teacher on all the
// (quick) labelled mails and the students on a nested subset of them, and the summary table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tempDir } from '../helpers/tempDir';

const root = join(__dirname, '..', '..', '..');

test('demo --quick trains the teacher on all the labels, the students on a subset, and prints the summary', () => {
  const dir = tempDir();
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(require.resolve('tsx')).href, join(root, 'trainer', 'cli.ts'), 'demo', '--quick', '--plain', '--backend', 'wasm'], { cwd: dir, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /The teacher learns from all the labelled training mails, the students from 48 of them/);
  const rows = new Map([...r.stdout.matchAll(/^\| ([A-Za-z -]+?) +\| (\d+) +\| (0\.\d{4}) +\|/gm)].map((m) => [m[1], { labelled: Number(m[2]), accuracy: Number(m[3]) }]));
  assert.deepEqual([...rows.keys()], ['teacher', 'LRC student', 'MSE-baseline student', 'student alone']);
  assert.equal(rows.get('teacher')!.labelled, 96);
  for (const s of ['LRC student', 'MSE-baseline student', 'student alone']) assert.equal(rows.get(s)!.labelled, 48, s);
  const runsDir = join(dir, '.lrc', 'runs');
  const runs = readdirSync(runsDir).map((id) => JSON.parse(readFileSync(join(runsDir, id, 'run.json'), 'utf8')) as { kind: string; status: string; pairedRunId?: string; config: { maxTrainExamples?: number } });
  assert.deepEqual(runs.map((x) => x.kind).sort(), ['lrc', 'mse', 'student', 'teacher']);
  assert.ok(runs.every((x) => x.status === 'finished'));
  assert.ok(runs.find((x) => x.kind === 'lrc')!.pairedRunId, 'the LRC run is paired with its baseline');
});
