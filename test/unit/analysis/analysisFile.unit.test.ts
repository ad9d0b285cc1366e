import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import {
  analysisFileName, analyzeDataset, listAnalysisFiles, readAnalysisFile, round5, toAnalysisFile, truncateText, writeAnalysisFile,
  type AnalysisResult, type CaseRecord,
} from '../../../trainer/analysis';
import { useBackend } from '../helpers/backend';
import { tempDir } from '../helpers/tempDir';
import { disposeStudent, tinyDataset, tinyModel, tinyStudent } from './fixture';

before(() => useBackend('wasm'));

const grid = (rows: number, cols: number, base: number) => Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => base + i / 7 + j / 13));

/** A 4-layer student (both roles) against a 12-layer teacher, `cases` two-class case records. */
function syntheticResult(cases: number, textChars = 40): AnalysisResult {
  const mapping = [3, 6, 9, 12].map((t, k) => ({ student: k + 1, teacher: t }));
  const student = (base: number) => ({
    layers: 4, hidden: 312, mapping,
    rows: [{ projection: 0 }, { projection: 0 }, { projection: 1 }, { projection: 2 }, { projection: 3 }],
    grid: { angular: grid(5, 13, base), mse: grid(5, 13, base * 10) },
  });
  const text = (n: number) => `case ${n} `.padEnd(textChars, 'x');
  const records: CaseRecord[] = Array.from({ length: cases }, (_, n) => ({
    id: `dev.tsv:${n + 2}`, text: text(n), textPair: text(n + 1), label: n % 2,
    teacher: { prediction: 1, probabilities: [0.1234567, 0.8765433] },
    lrc: { prediction: 1, probabilities: [0.2345678, 0.7654322], angular: [0.31234567, 0.4123, 0.5123, 0.6123], mse: [1.234567, 2.34, 3.45, 4.56] },
    mse: { prediction: 0, probabilities: [0.6543219, 0.3456781], angular: [0.7123, 0.8123, 0.9123, 1.0123], mse: [0.1234567, 0.234, 0.345, 0.456] },
  }));
  return {
    examples: cases, numLabels: 2, vectorize: 'flatten', angularEps: 1e-6, unprojected: 'nearest',
    teacher: { layers: 12, hidden: 768 }, students: { lrc: student(0.2), mse: student(0.3) }, cases: records,
  };
}

const meta = { step: 120, stage: 1, run: 'lrc' as const, labelNames: ['ham', 'spam'], createdAt: '2025-01-01T00:00:00.000Z' };

test('round5 keeps 5 significant digits and turns non-finite values into null; long texts are cut', () => {
  assert.equal(round5(0.123456789), 0.12346);
  assert.equal(round5(1234567), 1234600);
  assert.equal(round5(-0.000012345678), -0.000012346);
  assert.equal(round5(NaN), null);
  assert.equal(round5(-Infinity), null);
  assert.equal(truncateText('short', 300), 'short');
  const cut = truncateText('a'.repeat(1000), 300);
  assert.equal(cut.length, 300);
  assert.ok(cut.endsWith('a…'));
  // An emoji (two UTF-16 units) straddling the cut is dropped whole rather than split.
  const emoji = truncateText(`${'a'.repeat(8)}\u{1F600}tail`, 10);
  assert.equal(emoji, `${'a'.repeat(8)}…`);
});

test('a file round-trips: written atomically as step-000120.json, read back equal, values rounded', () => {
  const runDir = tempDir();
  const result = syntheticResult(3, 500);
  result.students.lrc!.grid.angular[2]![5] = NaN;
  const file = toAnalysisFile(result, meta);
  const path = writeAnalysisFile(runDir, file);
  assert.equal(path, join(runDir, 'analysis', 'step-000120.json'));
  const back = readAnalysisFile(path);
  assert.deepEqual(back, file);
  assert.equal(back.students.lrc!.grid.angular[2]![5], null);
  assert.equal(back.students.lrc!.grid.angular[1]![1], round5(0.2 + 1 / 7 + 1 / 13));
  assert.deepEqual(back.cases[0].teacher.probabilities, [0.12346, 0.87654]);
  assert.equal(back.cases[0].lrc!.angular[0], 0.31235);
  assert.equal(back.cases[0].text.length, 200);
  assert.equal(back.cases[0].textPair!.length, 200);
  assert.deepEqual(back.counts, { examples: 3, cases: 3 });
  assert.deepEqual(back.students.mse!.mapping, [{ student: 1, teacher: 3 }, { student: 2, teacher: 6 }, { student: 3, teacher: 9 }, { student: 4, teacher: 12 }]);
  assert.deepEqual({ step: back.step, stage: back.stage, run: back.run, task: back.task }, { step: 120, stage: 1, run: 'lrc', task: { kind: 'classification', labelNames: ['ham', 'spam'] } });
  // One case record per line.
  const lines = readFileSync(path, 'utf8').split('\n');
  assert.equal(lines.filter((l) => l.trimStart().startsWith('{"id":')).length, 3);
});

test('a real regression analysis round-trips, scores without probabilities', async () => {
  const data = tinyDataset(5, 3, 'regression');
  const teacher = tinyModel(3, 16, 41, { num_labels: 1 });
  const student = tinyStudent(teacher, 3, 8, 42, { num_labels: 1 });
  try {
    const result = await analyzeDataset({ teacher, mse: student }, data, { batchSize: 2 });
    const file = toAnalysisFile(result, { step: 7, stage: 2, run: 'mse', labelNames: [] });
    const back = readAnalysisFile(writeAnalysisFile(tempDir(), file));
    assert.deepEqual(back, file);
    assert.equal(back.task.kind, 'regression');
    assert.equal(back.cases[1].mse!.prediction, round5(result.cases[1].mse!.prediction));
    assert.equal(back.cases[1].mse!.probabilities, undefined);
    assert.equal(back.cases[1].label, data.dataset.examples[1].label);
    assert.deepEqual(back.students.mse!.grid.mse.map((r) => r!.length), [4, 4, 4, 4]);
  } finally {
    teacher.dispose();
    disposeStudent(student);
  }
});

test("a run's analysis files are listed in step order, other files ignored", () => {
  const runDir = tempDir();
  assert.deepEqual(listAnalysisFiles(runDir), []);
  for (const step of [120, 5, 1_000_000]) writeAnalysisFile(runDir, toAnalysisFile(syntheticResult(1), { ...meta, step }));
  writeFileSync(join(runDir, 'analysis', 'notes.txt'), 'x');
  writeFileSync(join(runDir, 'analysis', '.step-000007.json.tmp-1-abc'), '{');
  assert.equal(analysisFileName(1_000_000), 'step-1000000.json');
  assert.deepEqual(listAnalysisFiles(runDir).map((e) => [e.step, e.path.split('/').pop()]), [
    [5, 'step-000005.json'], [120, 'step-000120.json'], [1_000_000, 'step-1000000.json'],
  ]);
});

function writeRaw(dir: string, name: string, content: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

test('reading names the file and the field of what is wrong', () => {
  const dir = tempDir();
  const good = JSON.parse(JSON.stringify(toAnalysisFile(syntheticResult(2), meta)));
  const variant = (name: string, change: (f: any) => void) => {
    const f = JSON.parse(JSON.stringify(good));
    change(f);
    return writeRaw(dir, name, JSON.stringify(f));
  };
  const missingStep = variant('missing-step.json', (f) => delete f.step);
  assert.throws(() => readAnalysisFile(missingStep), (e: Error) => e.message.startsWith(missingStep) && /step: Required/.test(e.message));
  const badJson = writeRaw(dir, 'bad.json', '{"format": "lrc-distill-analysis", ');
  assert.throws(() => readAnalysisFile(badJson), (e: Error) => e.message.startsWith(`${badJson}: not valid JSON`));
  assert.throws(() => readAnalysisFile(join(dir, 'absent.json')), /absent\.json: cannot read the analysis file/);
  const cellType = variant('cell.json', (f) => (f.students.lrc.grid.angular[1][2] = 'x'));
  assert.throws(() => readAnalysisFile(cellType), /cell\.json: .*students\.lrc\.grid\.angular\[1\]\[2\]: Expected number, received string/);
  const columns = variant('columns.json', (f) => f.students.mse.grid.mse[3].pop());
  assert.throws(() => readAnalysisFile(columns), /students\.mse\.grid\.mse\[3\]: has 12 columns, expected 13/);
  const layers = variant('layers.json', (f) => f.cases[1].lrc.angular.pop());
  assert.throws(() => readAnalysisFile(layers), /cases\[1\]\.lrc\.angular: has 3 values, expected 4 \(one per mapped layer\)/);
  const probabilities = variant('probabilities.json', (f) => f.cases[0].teacher.probabilities.push(0));
  assert.throws(() => readAnalysisFile(probabilities), /cases\[0\]\.teacher\.probabilities: has 3 values, expected 2/);
  const counts = variant('counts.json', (f) => (f.counts.cases = 5));
  assert.throws(() => readAnalysisFile(counts), /counts\.cases: says 5 but there are 2 case records/);
  const own = variant('own.json', (f) => delete f.students.lrc);
  assert.throws(() => readAnalysisFile(own), /students\.lrc: the run's own student 'lrc' has no entry/);
  const extra = variant('extra.json', (f) => (f.surprise = 1));
  assert.throws(() => readAnalysisFile(extra), /Unrecognized key\(s\) in object: 'surprise'/);
  const misnamed = writeRaw(dir, 'step-000121.json', JSON.stringify(good));
  assert.throws(() => readAnalysisFile(misnamed), /step-000121\.json: step: the file name says step 121 but the file holds step 120/);
});

test('building a file checks the result against the format', () => {
  assert.throws(() => toAnalysisFile(syntheticResult(1), { ...meta, labelNames: ['a', 'b', 'c'] }), /step 120 .*cases\[0\]\.teacher\.probabilities: has 2 values, expected 3/);
  const lrcOnly = syntheticResult(1);
  delete lrcOnly.students.mse;
  delete lrcOnly.cases[0].mse;
  assert.throws(() => toAnalysisFile(lrcOnly, { ...meta, run: 'mse' }), /students\.mse: the run's own student 'mse' has no entry/);
  assert.throws(() => analysisFileName(-1), /step must be a whole number >= 0, got -1/);
});

test('5,000 cases of two texts cut at 200 characters stay a few MB', () => {
  const runDir = tempDir();
  const started = performance.now();
  const path = writeAnalysisFile(runDir, toAnalysisFile(syntheticResult(5000, 1000), meta));
  const written = performance.now() - started;
  const bytes = statSync(path).size;
  const readStart = performance.now();
  assert.equal(readAnalysisFile(path).cases.length, 5000);
  const read = performance.now() - readStart;
  console.log(`# 5,000 cases: ${(bytes / 1e6).toFixed(2)} MB, written in ${written.toFixed(0)} ms, read and validated in ${read.toFixed(0)} ms`);
  assert.ok(bytes < 4.2e6, `${bytes} bytes`);
});
