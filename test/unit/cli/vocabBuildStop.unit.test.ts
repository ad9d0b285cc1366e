// A stop while a run builds its WordPiece vocabulary (issue 24, item 7), through the real CLI: a student
// trained from scratch without a tokenizer builds one from its training file, here 300,000 lines of 20
// words from a 50,000-word lexicon. Built in one synchronous block, that took 12.3 s on this 2-core
// machine under load (about 6 s quiet): no signal handler and no heartbeat ran meanwhile, so a SIGTERM
// waited for the whole build and the heartbeat was first renewed after it. Built in time slices, the
// heartbeat moves on during the build and a SIGTERM ends the process within seconds, before vocab.txt
// is written, the run marked stopped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/tempDir';
import { expectStoppedInSetup, heartbeatsDuringSetup, startSetupRun, writeLargeTsv } from './setupRun';

test('SIGTERM while the vocabulary is built: the heartbeat moved on during the build, the process ends within seconds, the run is stopped and no vocabulary is left', async () => {
  const dir = tempDir('lrc-vocab-stop-');
  writeLargeTsv(join(dir, 'train.tsv'), 300_000, 20);
  writeFileSync(join(dir, 'dev.tsv'), readFileSync(join(dir, 'train.tsv'), 'utf8').split('\n').slice(0, 41).join('\n') + '\n');
  const run = startSetupRun(['train-student', '--task', 'file', '--train', 'train.tsv', '--dev', 'dev.tsv', '--text-column', 'sentence', '--label-column', 'label',
    '--layers', '1', '--hidden', '16', '--heads', '2', '--ffn', '32', '--max-length', '16', '--batch-size', '8', '--max-steps', '2', '--no-analysis', '--plain', '--backend', 'wasm'], dir);

  try {
    // the claim's heartbeat, then three more a second apart: reading the file takes about one, so at least
    // two are written during the build (the vocabulary is not there yet); built in one block, none was
    const beats = await heartbeatsDuringSetup(run, 4, 40_000);
    const live = run.record()!;
    assert.ok(beats.size >= 4, `the heartbeat renewed during set-up: ${[...beats]}\n${run.output()}`);
    const vocab = join(run.runDir(live.id), 'tokenizer', 'vocab.txt');
    assert.ok(!existsSync(vocab), `still building the vocabulary when the heartbeat moved on\n${run.output()}`);
    assert.equal(live.progress.step, 0);

    const seconds = await expectStoppedInSetup(run);
    assert.ok(!existsSync(vocab), 'stopped before the vocabulary was written: the build was cut short, not waited for');
    assert.doesNotMatch(run.output(), /built a WordPiece vocabulary/);
    console.log(`heartbeats ${[...beats].join(', ')}; stopped ${seconds.toFixed(2)} s after SIGTERM`);
  } finally {
    run.kill();
  }
});
