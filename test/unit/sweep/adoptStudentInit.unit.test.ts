// sweep adopt and where a student starts: an LRC run and an LRC run started from the general run
// ("studentInit": "(general)") of the same task and seed differ only there, so a record must say it
// (`studentInit`: the general run's id or export folder) and the match must check it. The general run
// has no `eval --json` (it has no task): its record, in the records folder, is matched to the planned
// general run, and the run whose student started from it to the planned run that starts from that one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { adoptRuns, factsOfRecord, readAdoptableRuns, writeAdoptedSweep } from '../../../trainer/sweep/adopt';
import { planSweep } from '../../../trainer/sweep/plan';
import { reportInputOf, scoresOfRun } from '../../../trainer/sweep/reportInput';
import { parseSweepFile } from '../../../trainer/sweep/sweepFile';
import { readSweep } from '../../../trainer/sweep/sweepStore';
import { tempDir } from '../helpers/tempDir';

const GENERAL = '20261207-100000-general-aaaaaa';
const LRC = '20261207-110000-lrc-bbbbbb';
const LRC_GENERAL = '20261207-120000-lrc-cccccc';

/** A sweep of LRC and LRC+general on the demo task, seed 42, with a general stage. */
function sweepOf(dir: string) {
  const file = join(dir, 'start.sweep.json');
  const raw = {
    base: { data: { task: 'demo' }, maxLength: 64, student: { layers: 2, hidden: 64, heads: 4, intermediate: 256 }, teacher: { path: 'teacher' } },
    axes: { method: { LRC: { kind: 'lrc' }, 'LRC+general': { kind: 'lrc', studentInit: '(general)' } }, seed: [42] },
    general: { config: { teacher: { path: 'teacher' }, data: { task: 'corpus', paths: ['corpus.txt'] } } },
    compare: [{ axis: 'method', a: 'LRC+general', b: 'LRC' }],
  };
  writeFileSync(file, JSON.stringify(raw));
  const spec = parseSweepFile(raw, file);
  return { file, spec, plan: planSweep(spec, file, 'start') };
}

const evals = (metric: string, value: number) => [{ step: 100, metrics: { [metric]: value - 0.1 } }, { step: 200, metrics: { [metric]: value } }];

/** A results folder and a records folder: the two LRC runs (eval --json and record), the general run (its record only). */
function folders(lrcGeneralStart: string | undefined, general: Record<string, unknown> = {}) {
  const dir = tempDir('lrc-adopt-start-');
  const results = join(dir, 'results');
  const records = join(dir, 'records');
  mkdirSync(results);
  mkdirSync(records);
  const record = (id: string, fields: Record<string, unknown>) => writeFileSync(join(records, `${id}.json`), JSON.stringify({ id, totalSteps: 200, ...fields }));
  const result = (id: string, accuracy: number) => writeFileSync(join(results, `${id}.json`), JSON.stringify({ run: id, examples: 100, seconds: 1, metrics: { accuracy }, primary: 'accuracy' }));
  record(GENERAL, { name: 'general on the corpus', kind: 'general', data: { task: 'corpus' }, best: { metric: 'cosine', value: 0.7, step: 200 }, evals: evals('cosine', 0.7), ...general });
  record(LRC, { name: 'LRC seed 42', kind: 'lrc', data: { task: 'demo' }, seed: 42, best: { metric: 'accuracy', value: 0.8, step: 200 }, evals: evals('accuracy', 0.8) });
  record(LRC_GENERAL, { name: 'LRC+general seed 42', kind: 'lrc', data: { task: 'demo' }, seed: 42, best: { metric: 'accuracy', value: 0.85, step: 200 }, evals: evals('accuracy', 0.85), ...(lrcGeneralStart ? { studentInit: lrcGeneralStart } : {}) });
  result(LRC, 0.8);
  result(LRC_GENERAL, 0.85);
  return { dir, results, records };
}

test('an LRC run and an LRC+general run of one task and seed are told apart by where their students started', () => {
  const { file, spec, plan } = sweepOf(tempDir('lrc-adopt-start-file-'));
  const { dir, results, records } = folders(GENERAL);
  const runs = readAdoptableRuns(results, records);
  assert.deepEqual(runs.map((r) => [r.record.id, r.resultFile !== undefined]), [[LRC, true], [LRC_GENERAL, true], [GENERAL, false]], 'the general run by its record alone');
  const adoption = adoptRuns(plan, runs, file);
  const adoptedAs = (id: string) => [...adoption].find(([, a]) => a.record.id === id)?.[0];
  assert.equal(adoptedAs(GENERAL), plan.generals[0].key);
  assert.equal(adoptedAs(LRC), plan.runs.find((r) => r.name === 'start LRC seed 42')!.key);
  assert.equal(adoptedAs(LRC_GENERAL), plan.runs.find((r) => r.name === 'start LRC+general seed 42')!.key);
  // The sweep folder: the general run keeps its id, and the LRC+general run starts from its export.
  const runsDir = join(dir, 'runs');
  const { record } = writeAdoptedSweep(join(dir, 'sweeps'), { plan, file, cwd: dir, runsDir, executor: 'local', slurm: spec.slurm, adoption, recordsDir: records, resultsDir: results });
  const sweep = readSweep(join(dir, 'sweeps', record.id));
  assert.equal(sweep.generals[0].runId, GENERAL);
  const started = sweep.runs.find((r) => r.runId === LRC_GENERAL)!;
  assert.deepEqual([started.generalRunId, started.config.studentInit], [GENERAL, join(runsDir, GENERAL, 'export')]);
  assert.equal(sweep.runs.find((r) => r.runId === LRC)!.generalRunId, undefined);
  // The report reads the general run from its record: its best evaluation, the mapped layers' cosine.
  const general = scoresOfRun(runsDir, GENERAL, 'general', { config: sweep.generals[0].config, records: sweep.records });
  assert.deepEqual([general.status, general.primary, general.metrics], ['finished', 'cosine', { cosine: 0.7 }]);
  // ... and the report's input says what it is, and which run starts from it.
  const input = reportInputOf(sweep);
  const g = input.generals![0];
  assert.deepEqual([g.runId, g.status, g.student, g.teacher, g.corpus, g.details?.step, g.details?.totalSteps],
    [GENERAL, 'finished', { layers: 2, hidden: 64, heads: 4, intermediate: 256 }, join(dirname(file), 'teacher'), { paths: [join(dirname(file), 'corpus.txt')] }, 200, 200]);
  assert.deepEqual(input.runs.map((r) => [r.runId, r.generalRunId]), [[LRC, undefined], [LRC_GENERAL, GENERAL]]);
});

test('a record may name the general run by its export folder, as the run config\'s studentInit did', () => {
  const { file, plan } = sweepOf(tempDir('lrc-adopt-start-file-'));
  const { results, records } = folders(`/elsewhere/runs/${GENERAL}/export/`);
  const adoption = adoptRuns(plan, readAdoptableRuns(results, records), file);
  assert.equal(adoption.get(plan.runs.find((r) => r.name === 'start LRC+general seed 42')!.key)?.record.id, LRC_GENERAL);
});

test('without the record of the general run it started from, or with one of another general run, the run is refused', () => {
  const { file, plan } = sweepOf(tempDir('lrc-adopt-start-file-'));
  // Its student started from a run the records folder does not hold.
  const missing = folders('20261207-000000-general-ffffff');
  assert.throws(() => adoptRuns(plan, readAdoptableRuns(missing.results, missing.records), file),
    (e: Error) => e.message.includes(`run ${LRC_GENERAL} ('LRC+general seed 42': lrc on demo, seed 42, all training examples, split 0.8, epsilon 1, student from run 20261207-000000-general-ffffff) is no planned run of sweep start (the run its student started from is no adopted general run`)
      && !e.message.includes(`run ${LRC} `), 'the LRC run itself is adopted');
  // The general run it names is another one than the sweep plans (another seed).
  const other = folders(GENERAL, { seed: 7 });
  assert.throws(() => adoptRuns(plan, readAdoptableRuns(other.results, other.records), file),
    (e: Error) => e.message.includes(`run ${GENERAL} ('general on the corpus': general on corpus, seed 7,`) && e.message.includes(`student from run ${GENERAL}) is no planned run`));
});

test('a record without studentInit is a fresh student: it is the LRC run, never the LRC+general one', () => {
  const { file, plan } = sweepOf(tempDir('lrc-adopt-start-file-'));
  const { results, records } = folders(undefined);
  // Both LRC records now say the same: two records of the planned LRC run, and LRC+general waits.
  assert.throws(() => adoptRuns(plan, readAdoptableRuns(results, records), file), /are both the planned run start LRC seed 42/);
  const record = readAdoptableRuns(results, records).find((r) => r.record.id === LRC_GENERAL)!.record;
  assert.equal(factsOfRecord(record).studentInit, null);
  assert.equal(factsOfRecord({ ...record, studentInit: GENERAL }, (id) => (id === GENERAL ? 'start general' : undefined)).studentInit, 'general run "start general"');
});
