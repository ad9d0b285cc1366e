// The lrc-distill commands on a tiny task, as a script would use them: output, files and exit codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tempDir } from '../helpers/tempDir';
import { listAnalysisFiles, readAnalysisFile } from '../../../trainer/analysis';
import { writeTinyTask } from '../session/tinyTask';

const root = join(__dirname, '..', '..', '..');

function cli(args: string[], cwd: string) {
  // tsx by path: the command runs in a folder of its own, outside the project
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(require.resolve('tsx')).href, join(root, 'trainer', 'cli.ts'), ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const TASK = (files: { train: string; dev: string }) => ['--task', 'file', '--train', files.train, '--dev', files.dev, '--text-column', 'sentence', '--label-column', 'label'];
const TINY = ['--max-length', '16', '--batch-size', '8', '--eval-every', '12', '--plain', '--backend', 'wasm'];

test('train-teacher, distill --baseline, runs, eval, export and control work together', () => {
  const dir = tempDir();
  const files = writeTinyTask(dir);
  const teacher = cli(['train-teacher', ...TASK(files), ...TINY, '--layers', '2', '--hidden', '32', '--heads', '4', '--ffn', '64', '--epochs', '4', '--lr', '0.003'], dir);
  assert.equal(teacher.code, 0, teacher.err + teacher.out);
  const teacherId = /teacher run (\S+): finished/.exec(teacher.out)?.[1];
  assert.ok(teacherId, teacher.out);
  assert.ok(existsSync(join(dir, '.lrc', 'runs', teacherId, 'export', 'model.safetensors')));

  const distill = cli(['distill', '--teacher', teacherId.slice(0, 22), '--baseline', ...TASK(files), ...TINY, '--layers', '1', '--hidden', '16', '--heads', '2', '--ffn', '32', '--epochs', '2', '--lr', '0.003'], dir);
  assert.equal(distill.code, 0, distill.err + distill.out);
  assert.match(distill.out, /lrc run \S+: finished/);
  assert.match(distill.out, /mse run \S+: finished/);

  const runs = cli(['runs', '--json'], dir);
  assert.equal(runs.code, 0, runs.err);
  const listed = JSON.parse(runs.out) as { runs: { id: string; kind: string; status: string; pairedRunId?: string }[] };
  assert.deepEqual(listed.runs.map((r) => r.kind).sort(), ['lrc', 'mse', 'teacher']);
  const lrc = listed.runs.find((r) => r.kind === 'lrc')!;
  const mse = listed.runs.find((r) => r.kind === 'mse')!;
  assert.equal(lrc.pairedRunId, mse.id);
  assert.equal(mse.pairedRunId, lrc.id);
  const table = cli(['runs'], dir);
  assert.match(table.out, /^id\s+kind\s+status\s+step\s+stage\s+best/m);

  // distill --baseline ends with the paired analysis: both students in the LRC run's last analysis file
  const analyses = listAnalysisFiles(join(dir, '.lrc', 'runs', lrc.id));
  const paired = readAnalysisFile(analyses[analyses.length - 1].path);
  assert.ok(paired.students.lrc && paired.students.mse, 'both students analysed');
  assert.ok(paired.cases.every((c) => c.lrc && c.mse && c.teacher), 'every case has the three predictions');
  const again = cli(['analyze', mse.id], dir);
  assert.equal(again.code, 0, again.err);
  assert.match(again.out, /paired analysis of/);

  const evaluation = cli(['eval', lrc.id, '--json'], dir);
  assert.equal(evaluation.code, 0, evaluation.err);
  const scores = JSON.parse(evaluation.out) as { metrics: { accuracy: number }; examples: number };
  assert.equal(scores.examples, 32);
  assert.ok(scores.metrics.accuracy >= 0 && scores.metrics.accuracy <= 1);

  const out = join(dir, 'exported-f16');
  const exported = cli(['export', lrc.id, '--out', out, '--dtype', 'f16'], dir);
  assert.equal(exported.code, 0, exported.err);
  const header = readFileSync(join(out, 'model.safetensors'));
  const json = JSON.parse(header.subarray(8, 8 + Number(header.readBigUInt64LE(0))).toString('utf8')) as Record<string, { dtype: string }>;
  assert.equal(json['classifier.weight'].dtype, 'F16');
  assert.ok(existsSync(join(out, 'vocab.txt')));

  const control = cli(['control', lrc.id, 'next-stage'], dir);
  assert.equal(control.code, 2);
  assert.match(control.err, /is finished: only a running or paused run takes control requests/);
  const resume = cli(['resume', lrc.id], dir);
  assert.equal(resume.code, 2);
  assert.match(resume.err, /has finished: nothing to resume/);
});

test('bad usage and bad input give exit code 2 and say what is wrong', () => {
  const dir = tempDir();
  const files = writeTinyTask(dir);
  const unknown = cli(['frobnicate'], dir);
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /unknown command 'frobnicate'/);
  const badFlag = cli(['runs', '--colour'], dir);
  assert.equal(badFlag.code, 2);
  assert.equal(badFlag.err, "lrc-distill: unknown option '--colour' (lrc-distill --help lists them)\n");
  const badNumber = cli(['train-teacher', ...TASK(files), '--epochs', 'many'], dir);
  assert.equal(badNumber.code, 2);
  assert.match(badNumber.err, /--epochs: expected a number, found "many"/);
  const noTeacher = cli(['distill', ...TASK(files)], dir);
  assert.equal(noTeacher.code, 2);
  assert.match(noTeacher.err, /teacher: a lrc run needs a teacher/);
  const badShape = cli(['train-teacher', ...TASK(files), '--layers', '2', '--hidden', '30', '--heads', '4', '--ffn', '64'], dir);
  assert.equal(badShape.code, 2);
  assert.match(badShape.err, /model\.hidden: hidden 30 is not a multiple of heads 4/);
  const config = join(dir, 'bad.json');
  writeFileSync(config, '{ "optim": { "batchSize": 0 } ');
  const badConfig = cli(['train-teacher', '--config', config], dir);
  assert.equal(badConfig.code, 2);
  assert.match(badConfig.err, /bad\.json:1: expected valid JSON: ',' or '}' after a member of an object, found the end of the file/);
  const missingRun = cli(['eval', 'nope'], dir);
  assert.equal(missingRun.code, 2);
  assert.match(missingRun.err, /no run 'nope'/);
});

test('pretrain, then train-teacher --init <pretrain run>: a pre-trained teacher with a fresh head', () => {
  const dir = tempDir();
  const files = writeTinyTask(dir);
  const shape = ['--layers', '2', '--hidden', '32', '--heads', '4', '--ffn', '64'];
  const pre = cli(['pretrain', ...TASK(files), ...TINY, ...shape, '--epochs', '2', '--lr', '0.003', '--mask-probability', '0.2'], dir);
  assert.equal(pre.code, 0, pre.err + pre.out);
  const preId = /pretrain run (\S+): finished, best mlm_accuracy/.exec(pre.out)?.[1];
  assert.ok(preId, pre.out);
  assert.match(pre.out, /mlm \d/);
  const record = JSON.parse(readFileSync(join(dir, '.lrc', 'runs', preId, 'run.json'), 'utf8'));
  assert.equal(record.config.pretraining.maskProbability, 0.2);
  const scored = cli(['eval', preId, '--json'], dir);
  assert.equal(scored.code, 0, scored.err);
  const mlm = JSON.parse(scored.out) as { primary: string; metrics: { mlm_accuracy: number; mlm_tokens: number } };
  assert.equal(mlm.primary, 'mlm_accuracy');
  assert.ok(mlm.metrics.mlm_tokens > 0 && mlm.metrics.mlm_accuracy >= 0 && mlm.metrics.mlm_accuracy <= 1);
  assert.equal(mlm.metrics.mlm_accuracy, record.best.value, 'eval scores the same dev masks as the run did');
  const half = join(dir, 'pretrained-f16');
  assert.equal(cli(['export', preId, '--out', half, '--dtype', 'f16'], dir).code, 0);
  const header = readFileSync(join(half, 'model.safetensors'));
  const names = JSON.parse(header.subarray(8, 8 + Number(header.readBigUInt64LE(0))).toString('utf8')) as Record<string, { dtype: string }>;
  assert.equal(names['cls.predictions.bias'].dtype, 'F16');
  assert.equal(names['classifier.weight'], undefined);
  const teacher = cli(['train-teacher', ...TASK(files), ...TINY, '--init', preId.slice(0, 22), '--epochs', '2', '--lr', '0.003'], dir);
  assert.equal(teacher.code, 0, teacher.err + teacher.out);
  assert.match(teacher.out, /initialised fresh/);
  assert.match(teacher.out, /teacher run \S+: finished/);
  const missing = cli(['train-teacher', ...TASK(files), '--init', 'nope'], dir);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /no run 'nope'/);
  const notAModel = cli(['train-teacher', ...TASK(files), '--init', dir], dir);
  assert.equal(notAModel.code, 2);
  assert.match(notAModel.err, /--init .*: the folder has no config.json/);
});
