// "Analyze Selection" and "compute the analysis now" through the trainer protocol: the selection's
// record equals the paired analysis's case record of the same example.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TrainerClient } from '../../../extension/trainer/trainerClient';
import { AnalyzeTextRequest, PairedAnalysisRequest } from '../../../trainer/protocol';
import { readAnalysisFile } from '../../../trainer/analysis';
import { createRun, updateRun } from '../../../trainer/runs/runStore';
import { TrainingSession } from '../../../trainer/session/trainingSession';
import { useBackend } from '../helpers/backend';
import { tempDir } from '../helpers/tempDir';
import { quietEvents, tinyConfig, TINY_STUDENT, TINY_TEACHER, writeTinyTask } from '../session/tinyTask';

const root = join(__dirname, '..', '..', '..');
const quiet = quietEvents();

test('a selection analysed by the trainer matches the paired case record of the same text', async () => {
  await useBackend('wasm');
  const dir = tempDir();
  const files = writeTinyTask(dir);
  const runs = join(dir, 'runs');
  const t = createRun(runs, { kind: 'teacher', config: tinyConfig(files, { kind: 'teacher', model: TINY_TEACHER }) });
  await new TrainingSession(join(runs, t.id), { events: quiet }).run();
  const base = tinyConfig(files, { kind: 'lrc', teacher: { runId: t.id }, student: TINY_STUDENT, optim: { batchSize: 8, maxSteps: 12 }, eval: { everySteps: 12, batchSize: 16, analysis: false } });
  const lrc = createRun(runs, { kind: 'lrc', config: base });
  const mse = createRun(runs, { kind: 'mse', config: { ...base, kind: 'mse', pairedRunId: lrc.id }, pairedRunId: lrc.id });
  updateRun(join(runs, lrc.id), (r) => ({ ...r, pairedRunId: mse.id }));
  for (const r of [lrc, mse]) await new TrainingSession(join(runs, r.id), { events: quiet }).run();

  const client = new TrainerClient({ script: join(root, 'trainer', 'main.ts'), cwd: root, execArgv: ['--import', 'tsx'], log: () => {} });
  try {
    const { file } = await client.request(PairedAnalysisRequest, { lrcRunDir: join(runs, lrc.id), mseRunDir: join(runs, mse.id) });
    const analysis = readAnalysisFile(file);
    const devText = readFileSync(files.dev, 'utf8').split('\n')[1].split('\t')[0];
    const paired = analysis.cases.find((c) => c.text === devText)!;
    assert.ok(paired, 'the dev example is in the case records');
    const selection = await client.request(AnalyzeTextRequest, { runDir: join(runs, mse.id), text: devText });
    assert.deepEqual(selection.labelNames, ['neg', 'pos']);
    for (const role of ['teacher', 'lrc', 'mse'] as const) {
      const a = selection.record[role]!;
      const b = paired[role]!;
      assert.equal(a.prediction, b.prediction, `${role} prediction`);
      a.probabilities!.forEach((p, i) => assert.ok(Math.abs(p - (b.probabilities![i] ?? NaN)) < 1e-3, `${role} probability ${p} vs ${b.probabilities![i]}`));
    }
    for (const role of ['lrc', 'mse'] as const) {
      const a = selection.record[role]!;
      const b = paired[role]!;
      assert.equal(a.angular.length, TINY_STUDENT.layers);
      a.angular.forEach((g, k) => assert.ok(Math.abs(g - b.angular[k]!) < 1e-3, `${role} angular ${g} vs ${b.angular[k]}`));
      a.mse.forEach((m, k) => assert.ok(Math.abs(m - b.mse[k]!) <= 1e-3 * Math.max(1, Math.abs(m)), `${role} mse ${m} vs ${b.mse[k]}`));
    }
    await assert.rejects(client.request(AnalyzeTextRequest, { runDir: join(runs, t.id), text: 'good' }), /is a teacher run: pick an LRC run or its MSE baseline/);
    await assert.rejects(client.request(AnalyzeTextRequest, { runDir: join(runs, lrc.id), text: '   ' }), /the selection is empty/);
  } finally {
    await client.stop();
  }
});
