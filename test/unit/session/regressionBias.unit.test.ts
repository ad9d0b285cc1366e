// Where a fresh regression output starts (config `regressionBias`): at the mean training label by
// default, at 0 when asked; a classifier, and an output loaded from a folder, are left as they are.
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { writeHfFolder } from '../../../trainer/checkpoint/hfFolder';
import { parseRunConfig } from '../../../trainer/config/effective';
import { Bert } from '../../../trainer/model/bert';
import { buildModels, type TaskShape } from '../../../trainer/session/models';
import { meanLabel } from '../../../trainer/session/taskData';
import type { TokenizedDataset } from '../../../trainer/data/batches';
import type { TextDataset } from '../../../trainer/data/types';
import { Vocabulary } from '../../../trainer/tokenizer/vocabulary';
import { useBackend } from '../helpers/backend';
import { SMALL_VOCAB } from '../tokenizer/smallVocab';

before(() => useBackend('wasm'));

const SHAPE = { layers: 1, hidden: 8, heads: 2, intermediate: 12, dropout: 0 };
const REGRESSION: TaskShape = { vocabSize: SMALL_VOCAB.length, labelNames: [], kind: 'regression', maxLength: 16, labelMean: 2.75 };
const CLASSES: TaskShape = { vocabSize: SMALL_VOCAB.length, labelNames: ['neg', 'pos'], kind: 'classification', maxLength: 16 };
const temp = () => mkdtempSync(join(tmpdir(), 'lrc-bias-'));

const config = (extra: Record<string, unknown>) => parseRunConfig({ data: { task: 'demo' }, seed: 3, student: SHAPE, model: SHAPE, ...extra });
const biasOf = (model: { namedWeights(): Map<string, tf.Variable> }) => Array.from(model.namedWeights().get('classifier.bias')!.dataSync());

/** A Hugging Face folder of a regression model whose output bias is `bias`. */
async function regressionFolder(bias: number): Promise<string> {
  const model = Bert.fromConfigJson({ vocab_size: SMALL_VOCAB.length, hidden_size: 8, num_hidden_layers: 2, num_attention_heads: 2, intermediate_size: 12, max_position_embeddings: 32, num_labels: 1 }, { seed: 1 });
  tf.tidy(() => model.namedWeights().get('classifier.bias')!.assign(tf.tensor1d([bias])));
  const dir = join(temp(), 'model');
  await writeHfFolder(model, dir, { vocab: new Vocabulary(SMALL_VOCAB, 'small') });
  model.dispose();
  return dir;
}

test('a student and a teacher trained here start their regression output at the mean training label', () => {
  for (const kind of ['student', 'teacher'] as const) {
    const { trained, notes } = buildModels(config({ kind }), REGRESSION, undefined);
    assert.deepEqual(biasOf(trained), [2.75], kind);
    assert.match(notes.join('\n'), /regression output bias started at the mean training label 2\.7500/);
    trained.dispose();
  }
});

test("regressionBias 'zero' keeps Hugging Face's initialisation; a classifier is never touched", () => {
  const zero = buildModels(config({ kind: 'student', regressionBias: 'zero' }), REGRESSION, undefined);
  assert.deepEqual(biasOf(zero.trained), [0]);
  assert.equal(zero.notes.length, 0);
  const classes = buildModels(config({ kind: 'student' }), CLASSES, undefined);
  assert.deepEqual(biasOf(classes.trained), [0, 0]);
  zero.trained.dispose();
  classes.trained.dispose();
  assert.throws(() => parseRunConfig({ data: { task: 'demo' }, kind: 'student', regressionBias: 'median' }), /regressionBias/);
});

test('a distilled student starts at the mean; its teacher, and a model loaded with its own output, keep theirs', async () => {
  const folder = await regressionFolder(-1.5);
  const distilled = buildModels(config({ kind: 'lrc', teacher: { path: folder } }), REGRESSION, folder);
  assert.deepEqual(biasOf(distilled.trained), [2.75]);
  assert.deepEqual(biasOf(distilled.teacher!), [-1.5]);
  distilled.trained.dispose();
  distilled.teacher!.dispose();
  const loaded = buildModels(config({ kind: 'teacher', init: folder }), REGRESSION, undefined);
  assert.deepEqual(biasOf(loaded.trained), [-1.5]);
  loaded.trained.dispose();
});

test('meanLabel: the mean of a regression set, nothing for classification', () => {
  const examples = [1, 2, 4.5].map((label, i) => ({ id: String(i), text: 'a', label }));
  const of = (dataset: TextDataset): TokenizedDataset => ({ dataset, maxLength: 8, padId: 0, examples: [] });
  assert.equal(meanLabel(of({ name: 'r', kind: 'regression', labelNames: [], source: 'test', examples })), 2.5);
  assert.equal(meanLabel(of({ name: 'r', kind: 'regression', labelNames: [], source: 'test', examples: [] })), undefined);
  assert.equal(meanLabel(of({ name: 'c', kind: 'classification', labelNames: ['a', 'b'], source: 'test', examples: examples.map((e) => ({ ...e, label: 0 })) })), undefined);
});

test('a regression teacher fine-tuned from a pre-trained folder without a head exports a config of one label, which reads back', async () => {
  // a BertModel folder (no classifier) whose config.json says nothing of labels: transformers' default is two
  const base = Bert.fromConfigJson({ vocab_size: SMALL_VOCAB.length, hidden_size: 8, num_hidden_layers: 2, num_attention_heads: 2, intermediate_size: 12, max_position_embeddings: 32 }, { seed: 1 });
  const pretrained = join(temp(), 'pretrained');
  await writeHfFolder(base, pretrained, { vocab: new Vocabulary(SMALL_VOCAB, 'small'), bertModel: true });
  base.dispose();
  const { trained } = buildModels(config({ kind: 'teacher', init: pretrained }), REGRESSION, undefined);
  assert.equal(trained.config.num_labels, 1);
  assert.deepEqual(trained.config.id2label, { 0: 'LABEL_0' });
  const exported = join(temp(), 'export');
  await writeHfFolder(trained, exported, { vocab: new Vocabulary(SMALL_VOCAB, 'small') });
  trained.dispose();
  const json = JSON.parse(readFileSync(join(exported, 'config.json'), 'utf8'));
  assert.deepEqual(json.id2label, { 0: 'LABEL_0' }, 'transformers reads num_labels from id2label: one output');
  // and it is a teacher a distillation can read (it used to fail: "config.json says num_labels 2 but the classifier has 1 outputs")
  const distilled = buildModels(config({ kind: 'lrc', teacher: { path: exported } }), REGRESSION, exported);
  assert.equal(distilled.teacher!.config.num_labels, 1);
  distilled.trained.dispose();
  distilled.teacher!.dispose();
});
