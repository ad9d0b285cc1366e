// Every GLUE layout, on small files this test writes in the distributed format.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readGlueSplit } from '../../../trainer/data/glueReader';
import { glueTask } from '../../../trainer/data/glueTasks';

const T = '\t';
const row = (...fields: string[]) => fields.join(T);
const MNLI_HEADER = row('index', 'promptID', 'pairID', 'genre', 'sentence1_binary_parse', 'sentence2_binary_parse', 'sentence1_parse', 'sentence2_parse', 'sentence1', 'sentence2');

function glueDir(files: Record<string, string[]>): string {
  const dir = mkdtempSync(join(tmpdir(), 'lrc-glue-'));
  for (const [path, lines] of Object.entries(files)) {
    mkdirSync(join(dir, path.split('/')[0]), { recursive: true });
    writeFileSync(join(dir, path), lines.join('\n') + '\n');
  }
  return dir;
}

const dir = glueDir({
  'CoLA/train.tsv': [row('gj04', '1', '', 'Our friends won\'t buy this "analysis.'), row('gj04', '0', '*', 'Bill is more.')],
  'SST-2/dev.tsv': [row('sentence', 'label'), row('it \'s a "charming journey . ', '1'), row('bad , bad', '0')],
  'MRPC/train.tsv': ['\ufeff' + row('Quality', '#1 ID', '#2 ID', '#1 String', '#2 String'), row('1', '702876', '702977', 'Amrozi accused "the witness".', 'Referring to him as only "the witness".')],
  'STS-B/dev.tsv': [
    row('index', 'genre', 'filename', 'year', 'old_index', 'source1', 'source2', 'sentence1', 'sentence2', 'score'),
    row('0', 'main-captions', 'MSRvid', '2012test', '0000', 'none', 'none', 'A man with a hard hat is dancing.', 'A man wearing a hard hat is dancing.', '5.000'),
    row('1', 'main-captions', 'MSRvid', '2012test', '0002', 'none', 'none', 'A young child is riding a horse.', 'A child is riding a horse.', '4.750'),
  ],
  'QQP/dev.tsv': [row('id', 'qid1', 'qid2', 'question1', 'question2', 'is_duplicate'), row('201359', '303345', '303346', 'Why are African-Americans so beautiful?', 'Why are hispanics so beautiful?', '0')],
  'MNLI/dev_matched.tsv': [
    row(MNLI_HEADER.split(T).join(T), 'label1', 'label2', 'label3', 'label4', 'label5', 'gold_label'),
    row('0', '63735', '63735n', 'slate', '( x )', '( y )', '(ROOT x)', '(ROOT y)', 'The new rights are nice enough', 'Everyone really likes the newest benefits ', 'neutral', 'entailment', 'neutral', 'neutral', 'neutral', 'neutral'),
  ],
  'MNLI/train.tsv': [
    row(MNLI_HEADER.split(T).join(T), 'label1', 'gold_label'),
    row('0', '31193', '31193n', 'government', '( x )', '( y )', '(ROOT x)', '(ROOT y)', 'Conceptually cream skimming has two basic dimensions.', 'Product and geography are what make cream skimming work. ', 'neutral', 'contradiction'),
  ],
  'QNLI/dev.tsv': [row('index', 'question', 'sentence', 'label'), row('0', 'What came into force after the new constitution was herald?', 'As of that day, the new constitution heralding the Second Republic came into force.', 'entailment')],
  'RTE/train.tsv': [row('index', 'sentence1', 'sentence2', 'label'), row('0', 'No Weapons of Mass Destruction Found in Iraq Yet.', 'Weapons of Mass Destruction Found in Iraq.', 'not_entailment')],
  'WNLI/train.tsv': [row('index', 'sentence1', 'sentence2', 'label'), row('0', 'I stuck a pin through a carrot.', 'The carrot had a hole.', '1')],
});

test('CoLA: no header, label in column 1, sentence in column 3, quotes literal', () => {
  const d = readGlueSplit(dir, 'CoLA', 'train');
  assert.deepEqual(d.examples, [
    { id: 'train:1', text: 'Our friends won\'t buy this "analysis.', label: 1 },
    { id: 'train:2', text: 'Bill is more.', label: 0 },
  ]);
  assert.deepEqual([d.kind, d.labelNames, d.name], ['classification', ['0', '1'], 'CoLA train']);
});

test('SST-2: sentence and label by header, an unbalanced quote is just a character', () => {
  const d = readGlueSplit(dir, 'sst2', 'dev');
  assert.deepEqual(d.examples.map((e) => [e.text, e.label]), [['it \'s a "charming journey . ', 1], ['bad , bad', 0]]);
});

test('MRPC: BOM before Quality; #1 String and #2 String are the pair', () => {
  const [e] = readGlueSplit(dir, 'MRPC', 'train').examples;
  assert.deepEqual(e, { id: 'train:2', text: 'Amrozi accused "the witness".', textPair: 'Referring to him as only "the witness".', label: 1 });
});

test('STS-B: the score (last of ten columns) is a regression label', () => {
  const d = readGlueSplit(dir, 'STS-B', 'dev');
  assert.equal(d.kind, 'regression');
  assert.deepEqual(d.labelNames, []);
  assert.deepEqual(d.examples.map((e) => [e.text, e.textPair, e.label]), [
    ['A man with a hard hat is dancing.', 'A man wearing a hard hat is dancing.', 5],
    ['A young child is riding a horse.', 'A child is riding a horse.', 4.75],
  ]);
});

test('QQP, QNLI, RTE, WNLI: pairs and labels mapped as Hugging Face glue processors', () => {
  assert.deepEqual(readGlueSplit(dir, 'QQP', 'dev').examples[0].label, 0);
  const qnli = readGlueSplit(dir, 'QNLI', 'dev').examples[0];
  assert.equal(qnli.text, 'What came into force after the new constitution was herald?');
  assert.equal(qnli.label, 0); // entailment
  assert.equal(readGlueSplit(dir, 'RTE', 'train').examples[0].label, 1); // not_entailment
  assert.equal(readGlueSplit(dir, 'WNLI', 'train').examples[0].textPair, 'The carrot had a hole.');
});

test('MNLI: dev_matched has 16 columns, train 12; the label is gold_label (contradiction 0, entailment 1, neutral 2)', () => {
  const dev = readGlueSplit(dir, 'MNLI', 'dev_matched');
  assert.deepEqual(dev.labelNames, ['contradiction', 'entailment', 'neutral']);
  assert.deepEqual([dev.examples[0].text, dev.examples[0].label], ['The new rights are nice enough', 2]);
  assert.equal(readGlueSplit(dir, 'MNLI', 'train').examples[0].label, 0);
  assert.throws(() => readGlueSplit(dir, 'MNLI', 'dev'), /data\.devSplit: expected a labelled split of MNLI: "train", "dev_matched", "dev_mismatched", found "dev"/);
});

test('errors name the file and line: missing file, wrong column count, unknown label, bad score, empty, wrong header', () => {
  const bad = glueDir({
    'CoLA/train.tsv': [row('gj04', '1', '', 'ok'), row('gj04', '1', '', 'a tab\tinside')],
    'SST-2/train.tsv': [row('sentence', 'label'), row('fine', '1'), row('odd', 'positive')],
    'SST-2/dev.tsv': [row('sentence', 'label')],
    'STS-B/train.tsv': [row('index', 'genre', 'filename', 'year', 'old_index', 'source1', 'source2', 'sentence1', 'sentence2', 'score'), row('0', 'g', 'f', 'y', 'o', 's', 's', 'a', 'b', 'n/a')],
    'RTE/train.tsv': [row('id', 'premise', 'hypothesis', 'label')],
  });
  assert.throws(() => readGlueSplit(bad, 'QQP', 'train'), /QQP[/\\]train.tsv: expected a data file, found no file at this path/);
  assert.throws(() => readGlueSplit(bad, 'CoLA', 'train'), /CoLA[/\\]train.tsv:2: expected 4 tab-separated columns, found 5/);
  assert.throws(() => readGlueSplit(bad, 'SST-2', 'train'), /SST-2[/\\]train.tsv:3: label: expected a label of SST-2: one of "0", "1", found "positive"/);
  assert.throws(() => readGlueSplit(bad, 'SST-2', 'dev'), /SST-2[/\\]dev.tsv: expected examples, found none \(only the header line\)/);
  assert.throws(() => readGlueSplit(bad, 'STS-B', 'train'), /STS-B[/\\]train.tsv:2: label: expected a number \(the score of STS-B\), found "n\/a"/);
  assert.throws(() => readGlueSplit(bad, 'RTE', 'train'), /RTE[/\\]train.tsv:1: expected the column "sentence1" of RTE in the header line, found .*; is this the RTE file\?/);
  assert.throws(() => glueTask('SQuAD'), /data\.name: expected a GLUE task: .*, found "SQuAD"/);
});
