// The independent check of our exports: Hugging Face transformers itself (the pinned release, from PyPI,
// on Debian's torch: test/python/provision.mjs, docs/python-references.md) loads the export folders of
// real runs trained here by the product: a teacher (BertForSequenceClassification), a general
// distillation of it (a bare BertModel) and an LRC student started from that (BertForSequenceClassification),
// with BertForSequenceClassification.from_pretrained and BertModel.from_pretrained, and gives the logits
// and every hidden state that the product computes from the same folder, within 1e-4; its AutoTokenizer
// gives the same ids as ours.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { loadHfModel, loadPretrainedHfModel } from '../../../trainer/checkpoint/hfFolder';
import { createRun } from '../../../trainer/runs/runStore';
import { TrainingSession } from '../../../trainer/session/trainingSession';
import { encodeTexts, loadTokenizer } from '../../../trainer/tokenizer';
import { useBackend } from '../helpers/backend';
import { requireReference, transformersReference } from '../helpers/python';
import { tempDir } from '../helpers/tempDir';
import { quietEvents, tinyConfig, TINY_STUDENT, TINY_TEACHER, writeTinyTask } from '../session/tinyTask';

const ref = transformersReference();
const SCRIPT = join(__dirname, '..', '..', 'fixtures', 'bert-reference', 'transformers_outputs.py');
const TOLERANCE = 1e-4;
const MAX_LENGTH = 16; // tinyConfig's maxLength

interface Batch {
  input_ids: number[][];
  token_type_ids: number[][];
  attention_mask: number[][];
  texts: string[];
  pairs?: string[];
}

interface Theirs {
  versions: { transformers: string; torch: string; torchFile: string };
  classifier?: { loading: Loading; attention: string };
  encoder: { loading: Loading; attention: string };
  batches: { logits?: number[][]; hidden_states: number[][][][]; tokenizer: { class: string; input_ids: number[][]; token_type_ids: number[][]; attention_mask: number[][] } }[];
}

interface Loading { missing_keys: string[]; unexpected_keys: string[]; mismatched_keys: string[]; error_msgs: string[] }

/** Sentences of the run's own dev set, plus words it never saw, capitals and punctuation (for [UNK], lower-casing, splitting). */
function texts(devFile: string): { singles: string[]; pairs: [string, string][] } {
  const dev = readFileSync(devFile, 'utf8').trim().split('\n').slice(1).map((line) => line.split('\t')[0]);
  const singles = [...dev.slice(0, 6), 'The MOVIE was Good, really!', 'an unseenword and élan... great'];
  const pairs: [string, string][] = [[dev[6], dev[7]], [dev[8], 'was it bad?'], ['Nice plot.', dev[9]], [dev[10] + ' ' + dev[11], dev[12] + ' ' + dev[13]]];
  return { singles, pairs };
}

function rows(a: Int32Array, batch: number, length: number): number[][] {
  return Array.from({ length: batch }, (_, b) => Array.from(a.subarray(b * length, (b + 1) * length)));
}

async function encode(folder: string, singles: string[], pairs?: string[]): Promise<Batch> {
  const tokenizer = await loadTokenizer(folder);
  const e = await encodeTexts(tokenizer, singles, pairs, { maxLength: MAX_LENGTH });
  return {
    input_ids: rows(e.inputIds, e.batchSize, e.seqLength),
    token_type_ids: rows(e.tokenTypeIds, e.batchSize, e.seqLength),
    attention_mask: rows(e.attentionMask, e.batchSize, e.seqLength),
    texts: singles,
    ...(pairs ? { pairs } : {}),
  };
}

/** The largest |a - b| over two nested arrays of the same shape (asserted). */
function maxAbsDiff(a: unknown, b: unknown, path = ''): number {
  if (Array.isArray(a)) {
    assert.ok(Array.isArray(b) && b.length === a.length, `${path}: length ${a.length} vs ${Array.isArray(b) ? b.length : typeof b}`);
    return a.reduce((m: number, x, i) => Math.max(m, maxAbsDiff(x, (b as unknown[])[i], `${path}[${i}]`)), 0);
  }
  assert.ok(typeof a === 'number' && typeof b === 'number' && Number.isFinite(a) && Number.isFinite(b), `${path}: ${a} vs ${b}`);
  return Math.abs(a - b);
}

/** Loads an export with the product and with transformers, runs both on the same batches, compares. */
async function compareExport(t: TestContext, name: string, folder: string, devFile: string): Promise<void> {
  const { singles, pairs } = texts(devFile);
  const batches = [await encode(folder, singles), await encode(folder, pairs.map((p) => p[0]), pairs.map((p) => p[1]))];

  // A task export is a BertForSequenceClassification; a bare BertModel folder (no classifier) is read as
  // the product reads a pre-trained BERT, with a fresh head that the hidden states do not depend on.
  const bare = (JSON.parse(readFileSync(join(folder, 'config.json'), 'utf8')) as { architectures: string[] }).architectures[0] === 'BertModel';
  const { model } = bare ? loadPretrainedHfModel(folder, { num_labels: 2 }, { trainable: false }) : loadHfModel(folder, { trainable: false });
  const ours = batches.map((b) => tf.tidy(() => {
    const out = model.forward({ inputIds: tf.tensor2d(b.input_ids, undefined, 'int32'), tokenTypeIds: tf.tensor2d(b.token_type_ids, undefined, 'int32'), attentionMask: tf.tensor2d(b.attention_mask, undefined, 'int32') }, { training: false });
    return { logits: out.logits.arraySync(), hidden: out.hiddenStates.map((h) => h.arraySync()) };
  }));
  const layers = model.config.num_hidden_layers;
  model.dispose();

  const r = spawnSync(ref.python, [SCRIPT, folder, JSON.stringify({ batches })], { encoding: 'utf8', maxBuffer: 256 << 20 });
  assert.equal(r.status, 0, `${name}: transformers_outputs.py failed:\n${r.stderr}`);
  const theirs = JSON.parse(r.stdout) as Theirs;
  assert.ok(theirs.versions.torchFile.startsWith('/usr/lib/python3/'), `${name}: torch from ${theirs.versions.torchFile}, not Debian's`);

  // Every weight loads: nothing missing (transformers would initialise it at random), nothing of ours unread.
  const none: Loading = { missing_keys: [], unexpected_keys: [], mismatched_keys: [], error_msgs: [] };
  if (bare) assert.equal(theirs.classifier, undefined, `${name}: a BertModel folder has no classifier`);
  else assert.deepEqual(theirs.classifier?.loading, none, `${name}: BertForSequenceClassification's loading info`);
  assert.deepEqual(theirs.encoder.loading, bare ? none : { ...none, unexpected_keys: ['classifier.bias', 'classifier.weight'] }, `${name}: BertModel's loading info${bare ? '' : ' (only the classifier left over)'}`);

  let logitDiff = 0;
  let hiddenDiff = 0;
  batches.forEach((b, i) => {
    const th = theirs.batches[i];
    assert.deepEqual({ input_ids: th.tokenizer.input_ids, token_type_ids: th.tokenizer.token_type_ids, attention_mask: th.tokenizer.attention_mask },
      { input_ids: b.input_ids, token_type_ids: b.token_type_ids, attention_mask: b.attention_mask }, `${name}: batch ${i}: ${th.tokenizer.class}'s ids`);
    assert.equal(th.hidden_states.length, layers + 1, `${name}: batch ${i}: hidden states`);
    if (!bare) logitDiff = Math.max(logitDiff, maxAbsDiff(ours[i].logits, th.logits, `${name} batch ${i} logits`));
    ours[i].hidden.forEach((h, l) => { hiddenDiff = Math.max(hiddenDiff, maxAbsDiff(h, th.hidden_states[l], `${name} batch ${i} hidden state ${l}`)); });
  });
  const largest = Math.max(...ours.flatMap((o) => o.logits.flat().map(Math.abs)));
  const logits = bare ? 'no logits (BertModel)' : `max |logit diff| ${logitDiff.toExponential(2)} (largest |logit| ${largest.toFixed(3)})`;
  t.diagnostic(`${name}: transformers ${theirs.versions.transformers} on torch ${theirs.versions.torch} (${theirs.encoder.attention} attention), ${theirs.batches[0].tokenizer.class}: ${logits}, max |hidden diff| ${hiddenDiff.toExponential(2)} over ${layers + 1} hidden states`);
  assert.ok(logitDiff < TOLERANCE, `${name}: logits differ by up to ${logitDiff}`);
  assert.ok(hiddenDiff < TOLERANCE, `${name}: hidden states differ by up to ${hiddenDiff}`);
  // The tolerance says something only if the logits are far larger than it (an untrained head's are about 1e-3).
  if (!bare) assert.ok(largest >= 100 * TOLERANCE, `${name}: the largest |logit| is only ${largest}`);
}

test('transformers loads the exports of a teacher, a general and an LRC run and gives our logits and hidden states within 1e-4', { skip: ref.skip }, async (t) => {
  requireReference(ref);
  await useBackend('wasm');
  const dir = tempDir();
  const files = writeTinyTask(dir);
  const runs = join(dir, 'runs');
  // Trained long enough that the logits are far from 0 (else a 1e-4 tolerance would say little).
  const optim = { batchSize: 8, epochs: 8, learningRate: 1e-2, warmupShare: 0.1 };
  const train = async (config: Record<string, unknown>) => {
    const run = createRun(runs, { kind: config.kind as 'teacher' | 'general' | 'lrc', config });
    const done = await new TrainingSession(join(runs, run.id), { events: quietEvents() }).run();
    assert.equal(done.status, 'finished', done.error?.message);
    return run.id;
  };
  const teacher = await train(tinyConfig(files, { kind: 'teacher', model: TINY_TEACHER, optim }));
  await compareExport(t, 'teacher export', join(runs, teacher, 'export'), files.dev);

  // General distillation on the training texts as a corpus, one passage a line.
  const corpus = join(dir, 'corpus.txt');
  writeFileSync(corpus, readFileSync(files.train, 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t')[0]).join('\n') + '\n');
  const general = await train({
    kind: 'general', teacher: { runId: teacher }, data: { task: 'corpus', paths: [corpus], devPassages: 16 }, student: TINY_STUDENT,
    maxLength: MAX_LENGTH, backend: 'wasm', seed: 5, optim: { batchSize: 8, epochs: 3, learningRate: 1e-2, warmupShare: 0.1 }, eval: { everySteps: 12, batchSize: 16 }, logEverySteps: 4,
  });
  const generalExport = join(runs, general, 'export');
  await compareExport(t, 'general run export (BertModel)', generalExport, files.dev);

  const student = await train(tinyConfig(files, { kind: 'lrc', teacher: { runId: teacher }, studentInit: generalExport, student: TINY_STUDENT, optim }));
  await compareExport(t, 'LRC student export (started from the general run)', join(runs, student, 'export'), files.dev);
});
