// sweep adopt: the committed records and results of experiments/ become a sweep folder whose runs are
// the runs that ran (their ids kept, no run folder made), the planned runs without a record wait, and
// every record that cannot be placed is refused with its file named. The report then reads each run
// from its record: the `eval --json` metrics as the exported model's, which agree with the record's best
// evaluation to the 4 decimals of the logs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { adoptRuns, factsOfRecord, readAdoptableRuns, readRunSummaryRecord, writeAdoptedSweep, type AdoptableRun } from '../../../trainer/sweep/adopt';
import { planSweep } from '../../../trainer/sweep/plan';
import { scoresOfRun } from '../../../trainer/sweep/reportInput';
import { parseSweepFile, readSweepFile } from '../../../trainer/sweep/sweepFile';
import { readSweep } from '../../../trainer/sweep/sweepStore';
import { tempDir } from '../helpers/tempDir';

const root = join(__dirname, '..', '..', '..');
const experiments = join(root, 'experiments');
const RECORDS = join(experiments, 'records');
const results = (name: string) => join(experiments, `results-${name}`);
const sweepFile = (name: string) => join(experiments, 'sweeps', `${name}.sweep.json`);
const planOf = (name: string) => planSweep(readSweepFile(sweepFile(name)), sweepFile(name), name);

/** A results folder made of the given result files of experiments/. */
function resultsFolder(files: string[]): string {
  const dir = tempDir('lrc-adopt-results-');
  for (const f of files) copyFileSync(f, join(dir, f.split('/').pop()!));
  return dir;
}
const filesOf = (dir: string) => readdirSync(dir).map((f) => join(dir, f));

test('glue-main adopted: the sweep folder keeps the adopted ids, pairs and teachers; MRPC seed 13 waits; no run folder is made', () => {
  const plan = planOf('glue-main');
  const adoption = adoptRuns(plan, readAdoptableRuns(results('glue-main'), RECORDS), sweepFile('glue-main'));
  const home = tempDir('lrc-adopt-');
  const runsDir = join(home, 'runs');
  const { dir, record } = writeAdoptedSweep(join(home, 'sweeps'), {
    plan, file: sweepFile('glue-main'), cwd: home, runsDir, executor: 'local', slurm: readSweepFile(sweepFile('glue-main')).slurm, adoption, recordsDir: RECORDS, resultsDir: results('glue-main'),
  }, new Date('2026-12-05T10:00:00Z'));
  const sweep = readSweep(dir);
  assert.deepEqual(sweep, JSON.parse(JSON.stringify(record)), 'sweep.json is the record written');
  assert.deepEqual(sweep.records, { dir: RECORDS, results: results('glue-main') });
  assert.ok(existsSync(join(dir, 'sweep-file.json')));
  assert.ok(!existsSync(runsDir), 'an adopted sweep makes no run folder');
  const byName = (n: string) => sweep.runs.find((r) => r.name === `glue-main ${n}`)!;
  // SST-2 seed 42: the runs of experiments/logs/sst2-lrc-s42.log and sst2-alone-s42.log
  assert.equal(byName('SST-2 LRC seed 42').runId, '20261125-142531-lrc-f00bff');
  assert.equal(byName('SST-2 MSE seed 42').runId, '20261125-142531-mse-11e509');
  assert.equal(byName('SST-2 alone seed 42').runId, '20261125-143430-student-41c943');
  assert.equal(byName('SST-2 LRC seed 42').pairedRunId, '20261125-142531-mse-11e509', 'the pair of adopted runs points at each other');
  assert.equal(byName('SST-2 MSE seed 42').pairedRunId, '20261125-142531-lrc-f00bff');
  const sst2Teacher = sweep.teachers.find((t) => t.cell.task === 'SST-2')!;
  assert.equal(sst2Teacher.runId, '20261125-141318-teacher-cad79d');
  assert.deepEqual(byName('SST-2 LRC seed 42').config.teacher, { runId: sst2Teacher.runId });
  assert.equal(byName('SST-2 alone seed 42').teacherRunId, sst2Teacher.runId);
  // MRPC seed 13 never ran: new ids, its LRC run paired with its MSE run, waiting for a run
  const waiting = ['MRPC LRC seed 13', 'MRPC MSE seed 13', 'MRPC alone seed 13'].map(byName);
  assert.ok(waiting.every((r) => r.runId.startsWith('20261205-100000-')), waiting.map((r) => r.runId).join(', '));
  assert.equal(waiting[0].pairedRunId, waiting[1].runId);
  const adopted = new Set(readdirSync(results('glue-main')).map((f) => f.slice(0, -5)));
  assert.equal([...sweep.runs, ...sweep.teachers].filter((m) => adopted.has(m.runId)).length, 57, 'every result is a member');
  for (const r of waiting) assert.deepEqual(scoresOfRun(runsDir, r.runId, 'lrc', { records: sweep.records }), { status: 'queued', kind: 'lrc' });
});

test('a run without a folder is read from its record: eval --json for the exported model, which agrees with the record\'s best evaluation to 4 decimals', () => {
  let compared = 0;
  for (const folder of readdirSync(experiments).filter((f) => f.startsWith('results-') && f !== 'results-pretrained')) {
    const dirs = { dir: RECORDS, results: join(experiments, folder) };
    for (const f of readdirSync(dirs.results)) {
      const id = f.slice(0, -5);
      const record = readRunSummaryRecord(join(RECORDS, f));
      const result = JSON.parse(readFileSync(join(dirs.results, f), 'utf8')) as { metrics: Record<string, number | null>; primary: string; examples: number; seconds: number };
      const s = scoresOfRun(join(experiments, 'no-runs-here'), id, record.kind, { records: dirs });
      assert.equal(s.status, 'finished');
      assert.deepEqual([s.primary, s.metrics], [result.primary, result.metrics], `${folder}/${f}: the exported model's scores are eval --json's`);
      assert.deepEqual(s.last, record.evals.at(-1)!.metrics, `${f}: the last evaluation`);
      assert.equal(s.details?.evalExamplesPerSecond, result.examples / result.seconds);
      assert.deepEqual([s.details?.source, s.details?.totalSteps, s.details?.bestStep, s.details?.parameters], ['record', record.totalSteps, record.best!.step, record.parameters]);
      const best = record.evals.filter((e) => e.step === record.best!.step).pop()!;
      for (const [name, v] of Object.entries(result.metrics)) {
        assert.equal(v === null ? null : v.toFixed(4), best.metrics[name] === null ? null : best.metrics[name]!.toFixed(4), `${folder}/${f}: ${name} of eval --json and of the best evaluation`);
        compared++;
      }
      // Without its eval --json, the record's best evaluation is the exported model's.
      const alone = scoresOfRun(join(experiments, 'no-runs-here'), id, record.kind, { records: { dir: RECORDS, results: join(experiments, 'no-results-here') } });
      assert.deepEqual([alone.primary, alone.metrics, alone.details?.evalExamplesPerSecond], [record.best!.metric, best.metrics, undefined]);
    }
  }
  assert.ok(compared > 400, `${compared} metrics compared`);
});

test('the stage of the best evaluation and the train time come from the run\'s config and record', () => {
  const plan = planOf('glue-main');
  const rte = plan.runs.find((r) => r.name === 'glue-main RTE LRC seed 42')!;
  const dirs = { dir: RECORDS, results: results('glue-main') };
  // Before the best-model rule: the exported model of RTE LRC seed 42 is its step-400 evaluation, in stage 1 (80% of 936 steps)
  const old = scoresOfRun(join(experiments, 'no-runs-here'), '20261125-165241-lrc-c8a2da', 'lrc', { config: rte.config, records: dirs });
  assert.deepEqual([old.details?.bestStep, old.details?.bestInStage1, old.details?.trainSeconds], [400, true, undefined], 'a record rebuilt from a log has no train time');
  const seed13 = scoresOfRun(join(experiments, 'no-runs-here'), '20261202-055112-lrc-0f2dae', 'lrc', { config: rte.config, records: dirs });
  assert.deepEqual([seed13.details?.bestStep, seed13.details?.bestInStage1], [800, false]);
  assert.ok(Math.abs(seed13.details!.trainSeconds! / 60 - 7.6) < 0.05, `${seed13.details!.trainSeconds} s`);
  const alone = plan.runs.find((r) => r.name === 'glue-main RTE alone seed 42')!;
  assert.equal(scoresOfRun(join(experiments, 'no-runs-here'), '20261125-170123-student-54814b', 'student', { config: alone.config, records: dirs }).details?.bestInStage1, undefined, 'one stage: no stage 1 to be in');
});

test('a record that is no planned run is refused, naming its result file', () => {
  const extra = join(results('diagnose-no-cosnce'), '20261125-150035-lrc-036ac6.json');
  const dir = resultsFolder([...filesOf(results('glue-main')), extra]);
  assert.throws(() => adoptRuns(planOf('glue-main'), readAdoptableRuns(dir, RECORDS), 'glue-main.sweep.json'),
    (e: Error) => e.message.includes(`${join(dir, '20261125-150035-lrc-036ac6.json')}: run 20261125-150035-lrc-036ac6 ('SST-2 diag no-cosnce epsilon 0 5k': lrc no-cosnce on glue:SST-2, seed 42, maxTrainExamples 5000, split 0.8, epsilon 0) is no planned run of sweep glue-main`));
});

test('two records of one planned run are refused, naming both files', () => {
  // `lrc-distill demo`'s LRC student is the demo sweep's LRC seed 42 as far as a record says (same task, labels, seed)
  const dir = resultsFolder([...filesOf(results('demo')), join(results('demo-command'), '20261202-052749-lrc-5078be.json')]);
  assert.throws(() => adoptRuns(planOf('demo'), readAdoptableRuns(dir, RECORDS), 'demo.sweep.json'),
    // the files in name order: the demo command's student first, then the sweep's own run of seed 42
    /20261202-053539-lrc-7fde4e\.json: run 20261202-053539-lrc-7fde4e \('Demo LRC 2x64 seed 42': .*\) and .*20261202-052749-lrc-5078be\.json are both the planned run demo SpamAssassin LRC seed 42/);
});

test('a record that two planned runs would fit is refused: the sweep cannot tell them apart', () => {
  const file = join(tempDir('lrc-adopt-file-'), 'two.sweep.json');
  const spec = parseSweepFile({
    base: { data: { task: 'demo' }, maxTrainExamples: 500, maxLength: 64, student: { layers: 2, hidden: 64, heads: 4, intermediate: 256 } },
    axes: { method: { alone: { kind: 'student' }, 'alone fast': { kind: 'student', optim: { learningRate: 0.01 } } }, seed: [42] },
  }, file);
  const run = readAdoptableRuns(resultsFolder([join(results('demo'), '20261202-054011-student-a84c1d.json')]), RECORDS);
  assert.throws(() => adoptRuns(planSweep(spec, file, 'two'), run, file), /20261202-054011-student-a84c1d\.json: run 20261202-054011-student-a84c1d \('Demo alone 2x64 seed 42': .*\) matches 2 planned runs: two alone seed 42, two alone fast seed 42/);
});

test('a result without a record, or of another run than its name says, is refused', () => {
  const dir = tempDir('lrc-adopt-bad-');
  const result = JSON.parse(readFileSync(join(results('demo'), '20261202-054011-student-a84c1d.json'), 'utf8'));
  writeFileSync(join(dir, '20990101-000000-student-000000.json'), JSON.stringify({ ...result, run: '20990101-000000-student-000000' }));
  assert.throws(() => readAdoptableRuns(dir, RECORDS), /20990101-000000-student-000000\.json: no record of run 20990101-000000-student-000000/);
  const other = tempDir('lrc-adopt-bad-');
  writeFileSync(join(other, '20261202-054011-student-a84c1d.json'), JSON.stringify({ ...result, run: 'someone-else' }));
  assert.throws(() => readAdoptableRuns(other, RECORDS), /the scores of run someone-else, not of 20261202-054011-student-a84c1d/);
  mkdirSync(join(other, 'empty'));
  assert.throws(() => readAdoptableRuns(join(other, 'empty'), RECORDS), /no results/);
});

test('what a record says of a run, with the config\'s defaults for what it leaves out', () => {
  const facts = (id: string) => factsOfRecord(readRunSummaryRecord(join(RECORDS, `${id}.json`)));
  // SST-2 main comparison, rebuilt from its log: no seed or epsilon in the record, 20,000 sentences from the log
  assert.deepEqual(facts('20261125-141318-teacher-cad79d'), { kind: 'teacher', preset: null, task: 'glue:SST-2', seed: 42, maxTrainExamples: 20000, split: 0.8, epsilon: 1, studentInit: null });
  assert.deepEqual(facts('20261202-062845-lrc-d08073'), { kind: 'lrc', preset: 'no-cosnce', task: 'demo', seed: 42, maxTrainExamples: 500, split: 0.8, epsilon: 0, studentInit: null });
  const run: AdoptableRun[] = readAdoptableRuns(resultsFolder([join(results('lowlabel-cola'), '20261202-072053-lrc-14faa0.json')]), RECORDS);
  assert.equal(adoptRuns(planOf('lowlabel-cola'), run, 'lowlabel-cola').size, 1, 'a sweep may adopt some of its runs only');
});

test('an adopted sweep: its adopted runs count as finished for status, resume and the pool; only the runs that never ran get folders', async () => {
  const { sweepStatus, stateCounts } = await import('../../../trainer/sweep/sweepStatus');
  const { ensureRunFolders } = await import('../../../trainer/sweep/sweepStore');
  const plan = planOf('glue-main');
  const adoption = adoptRuns(plan, readAdoptableRuns(results('glue-main'), RECORDS), sweepFile('glue-main'));
  const home = tempDir('lrc-adopt-');
  const runsDir = join(home, 'runs');
  const { dir } = writeAdoptedSweep(join(home, 'sweeps'), {
    plan, file: sweepFile('glue-main'), cwd: home, runsDir, executor: 'local', slurm: readSweepFile(sweepFile('glue-main')).slurm, adoption, recordsDir: RECORDS, resultsDir: results('glue-main'),
  });
  const sweep = readSweep(dir);
  const counts = stateCounts(sweepStatus(sweep));
  assert.equal(counts.finished, readdirSync(results('glue-main')).length);
  assert.equal(counts.waiting, 3, 'MRPC seed 13: LRC, MSE, alone');
  ensureRunFolders(sweep);
  assert.deepEqual(readdirSync(runsDir).sort(), sweep.runs.filter((r) => r.name.includes('MRPC') && r.seed === 13).map((r) => r.runId).sort());
});
