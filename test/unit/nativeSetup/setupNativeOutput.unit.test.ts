// Reading `lrc-distill setup-native`'s output for the progress and error notifications
// (extension/native/setupNativeOutput.ts): the step lines, lines split across chunks, the error line
// and the build log it names. The lines are the CLI's own formats (trainer/cli/setupNativeCommand.ts,
// trainer/backend/native/setupNative.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { failureLine, LineSplitter, logFileOf, parseStepLine } from '../../../extension/native/setupNativeOutput';

test('step lines become steps; notes, tool output and the closing line do not', () => {
  assert.deepEqual(parseStepLine('2/5 npm install @tensorflow/tfjs-node@4.22.0 (scripts off)'), { step: 2, total: 5, text: 'npm install @tensorflow/tfjs-node@4.22.0 (scripts off)' });
  assert.deepEqual(parseStepLine('5/5 smoke test (a matMul and a gradient on the tensorflow backend)')?.step, 5);
  assert.equal(parseStepLine('note: tensorflow_cpu-2.17.0-....whl is TensorFlow 2.17.0; the tested version is 2.18.1'), undefined);
  assert.equal(parseStepLine('native backend ready in 25 s: @tensorflow/tfjs-node@4.22.0 on TensorFlow 2.18.1, CPU (/x/cpu)'), undefined);
  assert.equal(parseStepLine('6/5 more steps than there are'), undefined);
  assert.equal(parseStepLine('0/5 nothing'), undefined);
});

test('chunks are cut into whole lines, blank lines dropped, the last one given at the end', () => {
  const lines: string[] = [];
  const split = new LineSplitter((l) => lines.push(l));
  split.push('1/5 Tensor');
  split.push('Flow wheel (given)\n2/5 npm');
  assert.deepEqual(lines, ['1/5 TensorFlow wheel (given)']);
  split.push(' install\r\n\n3/5 lay');
  split.flush();
  assert.deepEqual(lines, ['1/5 TensorFlow wheel (given)', '2/5 npm install', '3/5 lay']);
});

test("the error is the CLI's last stderr line, and its build log is found in it", () => {
  const stderr = 'cancelling nothing\nlrc-distill: setup-native: node-gyp could not build the tfjs binding: error: x.h: No such file (log: /home/u/.cache/lrc-distill/native/setup-cpu.log; nothing was installed)\n';
  const line = failureLine(stderr, { code: 2, signal: null });
  assert.ok(line.startsWith('setup-native: node-gyp could not build'), line);
  assert.equal(logFileOf(line), '/home/u/.cache/lrc-distill/native/setup-cpu.log');
  assert.equal(logFileOf('setup-native: cancelled (SIGTERM); nothing was installed (log: /tmp/h/setup-gpu.log)'), '/tmp/h/setup-gpu.log');
  assert.equal(logFileOf('internal error: boom'), undefined);
  assert.equal(failureLine('', { code: null, signal: 'SIGKILL' }), 'setup-native ended with SIGKILL and printed no error');
});
