// The config files of "Start Run From Config" (extension/runs/runPlan.ts) are refused the way the CLI
// refuses a --config file: the error names file:line of the bad field (inside "teacher" or "run" of a
// plan) or of the JSON syntax error. test/vscode/errors.test.ts shows the same through VS Code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readPlanFile } from '../../../extension/runs/runPlan';
import { tempDir } from '../helpers/tempDir';

const DATA = { task: 'demo' };
const SHAPE = { layers: 1, hidden: 16, heads: 2, intermediate: 32 };

function refusal(text: string): { file: string; message: string; lines: string[] } {
  const file = join(tempDir('run-plan-'), 'config.json');
  writeFileSync(file, text);
  try {
    readPlanFile(file);
  } catch (e) {
    return { file, message: (e as Error).message, lines: text.split('\n') };
  }
  assert.fail('the config was accepted');
}

const lineOf = (lines: string[], needle: string) => lines.findIndex((l) => l.includes(needle)) + 1;

test('a run config: the line of the bad field', () => {
  const r = refusal(JSON.stringify({ kind: 'teacher', name: 't', data: DATA, model: SHAPE, optim: { epochs: 1, batchSize: 'eight' } }, null, 2));
  assert.equal(r.message, `${r.file}:${lineOf(r.lines, '"batchSize"')}: optim.batchSize: Expected number, received string, found "eight"`);
});

test('a plan: the line of the bad field inside "teacher" or "run"', () => {
  const teacher = { kind: 'teacher', name: 't', data: DATA, model: SHAPE, optim: { epochs: 1 } };
  const run = { kind: 'lrc', name: 's', data: DATA, student: SHAPE };
  const inRun = refusal(JSON.stringify({ teacher, run: { ...run, stages: { split: 'half' } } }, null, 2));
  assert.ok(inRun.message.startsWith(`${inRun.file}:${lineOf(inRun.lines, '"split"')}: stages.split: `), inRun.message);
  const inTeacher = refusal(JSON.stringify({ teacher: { ...teacher, optim: { epochs: -1 } }, run }, null, 2));
  assert.ok(inTeacher.message.startsWith(`${inTeacher.file}:${lineOf(inTeacher.lines, '"epochs": -1')}: optim.epochs: `), inTeacher.message);
});

test('not valid JSON: the line of the syntax error', () => {
  const r = refusal(['{', '  "kind": "teacher",', '  "model": {"layers": 1}', '  "optim": {"epochs": 1}', '}'].join('\n'));
  assert.equal(r.message, `${r.file}:4: expected valid JSON: ',' or '}' after a member of an object, found \`"optim": {"epochs": 1}\``);
});

test('Start Run From Config: a key given twice is refused at its line, as the CLI refuses it', () => {
  const text = JSON.stringify({ kind: 'teacher', name: 't', data: DATA, model: SHAPE, optim: { epochs: 1 } }, null, 2).replace('"epochs": 1', '"epochs": 1,\n    "epochs": 3');
  const r = refusal(text);
  assert.equal(r.message, `${r.file}:${r.lines.lastIndexOf('    "epochs": 3') + 1}: optim.epochs: expected each key once in an object, found "epochs" given a second time; remove one of them (JSON keeps only the last, silently)`);
});
