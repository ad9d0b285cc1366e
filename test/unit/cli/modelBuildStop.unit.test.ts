// A stop while a run makes its model (issue 24, item 7), through the real CLI: a teacher of 16 layers of
// BERT-base width (130 million weights) trained from scratch on a tiny task. Drawing its initial weights
// was one synchronous block (BERT-base: 5 s on WASM, 12 s on TensorFlow, this 2-core machine under load):
// no heartbeat was written during it and a SIGTERM waited for it (this test then failed: the heartbeat
// stood still for the 4 s of the block, then the run trained). Made in steps, the heartbeat moves on
// while the weights are drawn and a SIGTERM ends the process within seconds, before the run's first line
// about its training ("N training examples", written once the models are made), the run marked stopped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/tempDir';
import { expectStoppedInSetup, heartbeatsDuringSetup, startSetupRun } from './setupRun';

test('SIGTERM while a large model is made: the heartbeat moved on meanwhile, the process ends within seconds, the run is stopped before its training starts', async () => {
  const dir = tempDir('lrc-model-stop-');
  const words = ['good', 'bad', 'movie', 'plot', 'the', 'a', 'was', 'very'];
  const lines = (n: number) => `sentence\tlabel\n${Array.from({ length: n }, (_, i) => `${words[i % 8]} ${words[(i * 3) % 8]} ${words[(i * 5) % 8]}\t${i % 2}`).join('\n')}\n`;
  writeFileSync(join(dir, 'train.tsv'), lines(40));
  writeFileSync(join(dir, 'dev.tsv'), lines(20));
  mkdirSync(join(dir, 'tok'));
  writeFileSync(join(dir, 'tok', 'vocab.txt'), ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', ...words].join('\n') + '\n');
  const run = startSetupRun(['train-teacher', '--task', 'file', '--train', 'train.tsv', '--dev', 'dev.tsv', '--text-column', 'sentence', '--label-column', 'label', '--tokenizer', 'tok',
    '--layers', '16', '--hidden', '768', '--heads', '12', '--ffn', '3072', '--max-length', '16', '--batch-size', '4', '--max-steps', '2', '--no-analysis', '--plain', '--backend', 'wasm'], dir);

  try {
    // the claim's heartbeat and two more a second apart: the tiny task is read in a fraction of a second,
    // so both are written while the weights are drawn
    const beats = await heartbeatsDuringSetup(run, 3, 40_000);
    assert.ok(beats.size >= 3, `the heartbeat renewed during set-up: ${[...beats]}\n${run.output()}`);
    assert.doesNotMatch(run.output(), /training examples/, 'still making the model');

    const seconds = await expectStoppedInSetup(run);
    assert.doesNotMatch(run.output(), /training examples/, 'stopped while the model was made, not after');
    console.log(`heartbeats ${[...beats].join(', ')}; stopped ${seconds.toFixed(2)} s after SIGTERM`);
  } finally {
    run.kill();
  }
});
