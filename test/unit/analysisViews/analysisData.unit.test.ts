// The host side of the views on run folders written by the trainer's own analysis writer: the reader
// (whole file and header only) against the trainer's reader, its errors; the heatmap's steps and
// grids of an LRC run and its baseline; the case files and the default one; a data file's cases.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { formatAnalysisJson, readAnalysisFile } from '../../../trainer/analysis/analysisFile';
import { listStepFiles, readAnalysisHeader, readAnalysisView } from '../../../extension/analysis/analysisReader';
import { analysisRuns, isAnalysisRun, runsByRole } from '../../../extension/analysis/analysisRuns';
import { runDirOfArg, runRef } from '../../../extension/runs/runRef';
import { caseFiles, casesFileView, defaultCaseFile } from '../../../extension/analysis/casesData';
import { DataFileCases, hoverMarkdown, lensTitle } from '../../../extension/analysis/dataFileCases';
import { HeaderCache, HeatmapSource } from '../../../extension/analysis/heatmapData';
import { tempDir } from '../helpers/tempDir';
import { caseRecord, grid, writeAnalysis, writeRun } from './runFixture';

const LRC = '20250101-000000-lrc-aaaaaa';
const MSE = '20250101-000000-mse-bbbbbb';

/** An LRC run (files at steps 2, 4, 6; at 6 the paired analysis) and its baseline (files at 2 and 5). */
function pairedRuns(dev?: string) {
  const runs = tempDir('lrc-views-');
  const config = dev ? { kind: 'lrc', data: { task: 'file', train: 'train.tsv', dev, columns: { text: 'sentence', label: 'label' } } } : undefined;
  const lrc = writeRun(runs, LRC, 'lrc', { pairedRunId: MSE, config, name: 'the lrc run' });
  const mse = writeRun(runs, MSE, 'mse', { pairedRunId: LRC, config, name: 'its baseline' });
  const cases = [
    caseRecord('2', 'a good movie', 1, { teacher: 1, lrc: 1, mse: 0 }, { lrc: [0.25, 0.01], mse: [0.75, 0.002] }),
    caseRecord('3', 'the plot was bad', 0, { teacher: 0, lrc: 0, mse: 0 }),
  ];
  const lrcOnly = cases.map(({ mse: _m, ...c }) => c);
  const mseOnly = cases.map(({ lrc: _l, ...c }) => c);
  writeAnalysis(lrc, 2, ['lrc'], lrcOnly, 'lrc', 0.1);
  writeAnalysis(lrc, 4, ['lrc'], lrcOnly, 'lrc', 0.2);
  writeAnalysis(lrc, 6, ['lrc', 'mse'], cases, 'lrc', 0.3);
  writeAnalysis(mse, 2, ['mse'], mseOnly, 'mse', 0.15);
  writeAnalysis(mse, 5, ['mse'], mseOnly, 'mse', 0.25);
  return { runs, lrc, mse, cases };
}

test('the reader gives what the trainer\'s reader gives; the header alone gives the same grids', () => {
  const { lrc } = pairedRuns();
  const path = join(lrc.dir, 'analysis', 'step-000006.json');
  const theirs = readAnalysisFile(path);
  const mine = readAnalysisView(path);
  assert.deepEqual(mine, theirs);
  const header = readAnalysisHeader(path);
  const { cases: _cases, ...headerOnly } = theirs;
  assert.deepEqual(header, headerOnly);
  assert.deepEqual(header.students.mse!.grid.angular, grid(3, 5, 0.8).map((r) => r.map((v) => Number(v.toPrecision(5)))));
});

test('a file laid out on one line is read whole for its header; broken files name the file and the field', () => {
  const { lrc } = pairedRuns();
  const path = join(lrc.dir, 'analysis', 'step-000004.json');
  const json = JSON.parse(readFileSync(path, 'utf8'));
  const compact = join(lrc.dir, 'analysis', 'step-000008.json');
  writeFileSync(compact, JSON.stringify({ ...json, step: 8 }));
  assert.equal(readAnalysisHeader(compact).step, 8);
  const badGrid = join(lrc.dir, 'analysis', 'step-000010.json');
  writeFileSync(badGrid, JSON.stringify({ ...json, step: 10, students: { lrc: { ...json.students.lrc, grid: { ...json.students.lrc.grid, angular: [[0.1, 0.2], ...json.students.lrc.grid.angular.slice(1)] } } } }));
  assert.throws(() => readAnalysisHeader(badGrid), (e: Error) => e.message.startsWith(badGrid) && e.message.includes('students.lrc.grid.angular[0]: has 2 columns, expected 5'));
  const badCase = join(lrc.dir, 'analysis', 'step-000012.json');
  writeFileSync(badCase, JSON.stringify({ ...json, step: 12, cases: [{ ...json.cases[0], lrc: { ...json.cases[0].lrc, angular: [0.1] } }, json.cases[1]] }));
  assert.throws(() => readAnalysisView(badCase), /step-000012\.json: not a valid analysis file: cases\[0\]\.lrc\.angular: has 1 values, expected 2 \(one per mapped layer\)/);
  // laid out by the writer, the header is read and checked without the case records
  const laidOut = join(lrc.dir, 'analysis', 'step-000013.json');
  writeFileSync(laidOut, formatAnalysisJson({ ...json, step: 13, cases: [{ ...json.cases[0], lrc: 'not a case' }] }));
  assert.equal(readAnalysisHeader(laidOut).step, 13);
  assert.throws(() => readAnalysisView(laidOut), /step-000013\.json: not a valid analysis file: cases\[0\]\.lrc: Expected object/);
  const misnamed = join(lrc.dir, 'analysis', 'step-000014.json');
  writeFileSync(misnamed, JSON.stringify({ ...json, step: 13 }));
  assert.throws(() => readAnalysisHeader(misnamed), /the file name says step 14 but the file holds step 13/);
  writeFileSync(join(lrc.dir, 'analysis', 'step-000016.json'), '{ "format": ');
  assert.throws(() => readAnalysisView(join(lrc.dir, 'analysis', 'step-000016.json')), /step-000016\.json: not valid JSON/);
  assert.deepEqual(listStepFiles(lrc.dir).map((f) => f.step), [2, 4, 6, 8, 10, 12, 13, 14, 16]);
});

test('the heatmap: steps of both runs; each student from its own run\'s latest file; the paired file at its step', () => {
  const { lrc, mse } = pairedRuns();
  const source = new HeatmapSource(runRef(mse.dir)); // opened on the baseline: the LRC run is its pair
  const view = source.view();
  assert.deepEqual(view.steps, [2, 4, 5, 6]);
  assert.deepEqual(view.pair, { runId: LRC, runName: 'the lrc run' });
  const at4 = source.stepView(4);
  assert.equal(at4.sides.lrc!.sourceStep, 4);
  assert.equal(at4.sides.mse!.sourceStep, 2); // the baseline's latest file at or before step 4
  assert.equal(at4.sides.mse!.runId, MSE);
  assert.equal(at4.sides.lrc!.angular[1][2], Number((0.2 + 0.1 + 0.02).toPrecision(5)));
  assert.equal(at4.teacherLayers, 4);
  const at6 = source.stepView(6);
  assert.equal(at6.sides.mse!.runId, LRC); // the paired analysis in the LRC run's folder
  assert.equal(at6.sides.mse!.sourceStep, 6);
  assert.deepEqual(at6.sides.mse!.angular, grid(3, 5, 0.8).map((r) => r.map((v) => Number(v.toPrecision(5)))));
  assert.equal(at6.stage, 2);
  assert.deepEqual(at6.sides.lrc!.mapping, [{ student: 1, teacher: 2 }, { student: 2, teacher: 4 }]);
  assert.throws(() => source.stepView(1), /no analysis file at or before step 1/);
  // a new file of the running baseline shows up on refresh
  writeAnalysis(mse, 8, ['mse'], [], 'mse', 0.4);
  assert.equal(source.refresh(), true);
  assert.deepEqual(source.steps(), [2, 4, 5, 6, 8]);
  assert.equal(source.refresh(), false);
  assert.equal(runsByRole(runRef(lrc.dir)).mse!.id, MSE);
});

test('a row without projection is a row of nulls in the view', () => {
  const runs = tempDir('lrc-views-');
  const lrc = writeRun(runs, LRC, 'lrc');
  const path = writeAnalysis(lrc, 2, ['lrc'], []);
  const json = JSON.parse(readFileSync(path, 'utf8'));
  json.students.lrc.rows[0] = null;
  json.students.lrc.grid.angular[0] = null;
  json.students.lrc.grid.mse[0] = null;
  writeFileSync(path, JSON.stringify(json));
  const side = new HeatmapSource(runRef(lrc.dir)).stepView(2).sides.lrc!;
  assert.deepEqual(side.rows, ['none', 'projected', 'projected']);
  assert.deepEqual(side.angular[0], [null, null, null, null, null]);
});

test('the case files of both runs, the default (the paired analysis), and its view', () => {
  const { lrc } = pairedRuns();
  const files = caseFiles(runRef(lrc.dir), new HeaderCache());
  assert.deepEqual(files.map((f) => [f.runId, f.step, f.students.join('+')]), [
    [LRC, 2, 'lrc'], [LRC, 4, 'lrc'], [LRC, 6, 'lrc+mse'], [MSE, 2, 'mse'], [MSE, 5, 'mse'],
  ]);
  const chosen = defaultCaseFile(files, LRC)!;
  assert.deepEqual([chosen.runId, chosen.step], [LRC, 6]);
  assert.deepEqual(defaultCaseFile(files.filter((f) => f.students.length === 1), LRC)!.step, 4); // else the LRC run's latest
  assert.equal(defaultCaseFile([], LRC), undefined);
  const view = casesFileView(readAnalysisView(chosen.path), chosen.run);
  assert.equal(view.cases.length, 2);
  assert.deepEqual(view.cases[0].mse, { prediction: 0, probabilities: [0.75, 0.25], angular: [0.75, 0.85], mse: [0.002, 0.004] });
  assert.deepEqual(view.labelNames, ['neg', 'pos']);
  assert.deepEqual(view.mapping.lrc, [{ student: 1, teacher: 2 }, { student: 2, teacher: 4 }]);
});

test('a data file of the run: its lines\' cases from the paired analysis, the CodeLens text and the hover', () => {
  const work = tempDir('lrc-ws-');
  const dev = join(work, 'dev.tsv');
  const lines = ['sentence\tlabel', 'a good movie\tpos', 'the plot was bad\tneg', 'unknown\tneg'];
  writeFileSync(dev, `${lines.join('\n')}\n`);
  const { runs } = pairedRuns('dev.tsv');
  const data = new DataFileCases();
  assert.equal(data.forDocument(join(work, 'train.tsv'), runs, work)?.dataFile.split, 'train');
  assert.equal(data.forDocument(join(work, 'other.tsv'), runs, work), undefined);
  const a = data.forDocument(dev, runs, work)!;
  assert.equal(a.run.id, LRC);
  assert.equal(a.file.step, 6);
  const matched = data.linesOf(a, 'doc@1', () => lines, 'tsv');
  assert.deepEqual([...matched].map(([l, c]) => [l, c.id]), [[1, '2'], [2, '3']]);
  const title = lensTitle(matched.get(1)!, ['neg', 'pos'], 'classification');
  // teacher right with pos 0.75; LRC right, angular mean (0.25 + 0.35) / 2, MSE mean (0.01 + 0.02) / 2; the baseline wrong
  assert.equal(title, 'Teacher ✓ pos 0.75 · LRC ✓ pos 0.75 ∠0.3 mse 0.015 · MSE ✗ neg 0.75 ∠0.8 mse 0.003');
  const hover = hoverMarkdown(matched.get(1)!, a);
  assert.match(hover, /\*\*Case 2\*\*, gold \*\*pos\*\* \(analysis at step 6 of the lrc run\)/);
  assert.match(hover, /\| LRC student \| ✓ pos 0\.75 \| 0\.25 · 0\.35 \| 0\.01 · 0\.02 \|/);
  assert.match(hover, /∠ per layer \(S1→T2 · S2→T4\)/);
});

test('command arguments name a run by id, prefix, folder or explorer node', () => {
  const { runs, lrc } = pairedRuns();
  assert.equal(runDirOfArg(LRC, runs), lrc.dir);
  assert.equal(runDirOfArg('20250101-000000-lrc', runs), lrc.dir);
  assert.equal(runDirOfArg({ runDir: lrc.dir }, undefined), lrc.dir);
  assert.equal(runDirOfArg({ dir: lrc.dir, run: { id: LRC } }, runs), lrc.dir);
  assert.equal(runDirOfArg({ run: { id: LRC } }, runs), lrc.dir);
  assert.equal(runDirOfArg({ runId: MSE }, runs), join(runs, MSE));
  assert.equal(runDirOfArg(undefined, runs), undefined);
  assert.equal(runDirOfArg({ caseId: '3' }, runs), undefined);
  assert.throws(() => runDirOfArg('nope', runs), /no run 'nope'/);
  assert.throws(() => runDirOfArg({ runDir: join(runs, 'missing') }, runs), /is not a run folder/);
});

test('the runs the analysis commands offer: LRC and MSE runs; for the paired analysis, finished ones with their pair', () => {
  const { runs, lrc } = pairedRuns();
  writeRun(runs, '20250101-000000-teacher-cccccc', 'teacher');
  const lone = writeRun(runs, '20250102-000000-lrc-dddddd', 'lrc');
  assert.deepEqual(analysisRuns(runs).map((r) => r.id), [lone.id, MSE, LRC]);
  const paired = { finishedOnly: true, withPair: true };
  assert.equal(isAnalysisRun(runRef(lrc.dir), paired), true);
  assert.equal(isAnalysisRun(runRef(lone.dir), paired), false);
  assert.equal(isAnalysisRun(runRef(lone.dir)), true);
});
