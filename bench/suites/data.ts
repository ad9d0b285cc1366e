// Suite "data": the tokenizer and data pipeline in examples per second, so that it never starves the
// trainer: the SpamAssassin demo task (reading the messages, building its WordPiece vocabulary,
// tokenizing, cutting batches into tensors) and, when the shared data is here, SST-2 train with the
// bert-base-uncased tokenizer (both implementations). Also how much of a batch is padding when every
// batch is padded to maxLength (what the training loop does) or only to its longest example.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO } from '../../trainer/cli/demo';
import { epochBatches, tokenizeDataset, type TokenizedDataset } from '../../trainer/data/batches';
import { readGlueSplit } from '../../trainer/data/glueReader';
import { locateSharedData, sharedDataSkipMessage } from '../../trainer/data/sharedData';
import { readSpamAssassin } from '../../trainer/data/spamAssassin';
import { disposeBertInputs, toBertInputs, toLabelTensor } from '../../trainer/data/tensors';
import type { TextDataset } from '../../trainer/data/types';
import { buildWordPieceVocab } from '../../trainer/tokenizer/buildVocab';
import { loadTokenizer } from '../../trainer/tokenizer/loadTokenizer';
import type { BertTokenizer } from '../../trainer/tokenizer/types';
import { SeededRandom } from '../../trainer/util/random';
import { timeAsync, timeIt } from '../lib/measure';
import { fmt, type Cell, type Table } from '../lib/report';
import type { Suite } from '../lib/suite';

const BATCH = 16;

/** One pass of batches as the training loop makes them, with their tensors; padded lengths. */
function batchPass(tokenized: TokenizedDataset, padTo: 'max' | 'longest'): { ms: number; padded: number; real: number } {
  let padded = 0;
  let real = 0;
  const { timing } = timeIt(() => {
    for (const batch of epochBatches(tokenized, { batchSize: BATCH, random: new SeededRandom(1), padTo })) {
      const inputs = toBertInputs(batch);
      const labels = toLabelTensor(batch);
      padded += batch.batchSize * batch.seqLength;
      real += batch.attentionMask.reduce((s: number, v: number) => s + v, 0);
      disposeBertInputs(inputs);
      labels.dispose();
    }
  });
  return { ms: timing.wallMs, padded, real };
}

/**
 * Real-token share if batches were padded to their longest example after sorting the shuffled
 * examples by length within windows of `window` batches (length bucketing; the batch order is then
 * shuffled again, which does not change the padding).
 */
function bucketedShare(tokenized: TokenizedDataset, window: number): number {
  const lengths = tokenized.examples.map((e) => e.inputIds.length);
  const order = new SeededRandom(1).shuffle(lengths.map((_, i) => i));
  let padded = 0;
  let real = 0;
  for (let w = 0; w < order.length; w += window * BATCH) {
    const chunk = order.slice(w, w + window * BATCH).sort((a, b) => lengths[a] - lengths[b]);
    for (let b = 0; b < chunk.length; b += BATCH) {
      const group = chunk.slice(b, b + BATCH);
      padded += group.length * Math.max(...group.map((i) => lengths[i]));
      real += group.reduce((sum, i) => sum + lengths[i], 0);
    }
  }
  return real / padded;
}

async function pipeline(name: string, dataset: TextDataset, tokenizer: BertTokenizer, maxLength: number, readMs: number) {
  const n = dataset.examples.length;
  const tok = await timeAsync(() => tokenizeDataset(dataset, tokenizer, maxLength));
  const max = batchPass(tok.value, 'max');
  const longest = batchPass(tok.value, 'longest');
  const perSecond = (ms: number) => (1000 * n) / ms;
  const row: Cell[] = [
    name, tokenizer.implementation, fmt.int(n), maxLength, readMs ? fmt.int(perSecond(readMs)) : '-',
    fmt.int(perSecond(tok.timing.wallMs)), fmt.int(perSecond(max.ms)), fmt.int(perSecond(tok.timing.wallMs + max.ms)),
    fmt.n(max.padded / Math.ceil(n / BATCH) / BATCH, 0), fmt.n(longest.padded / Math.ceil(n / BATCH) / BATCH, 1),
    fmt.pct(max.real / max.padded), fmt.pct(longest.real / longest.padded), fmt.pct(bucketedShare(tok.value, 50)),
  ];
  return { row, figures: { examples: n, maxLength, readMs, tokenizeMs: tok.timing.wallMs, batchMs: max.ms, batchLongestMs: longest.ms, paddedMax: max.padded, paddedLongest: longest.padded, realTokens: max.real } };
}

export const dataSuite: Suite = {
  name: 'data',
  title: 'Tokenizer and data pipeline',
  needsBackend: true,
  async run(ctx) {
    const rows: Cell[][] = [];
    const figures: Record<string, unknown> = {};
    const notes: string[] = [];

    ctx.log('data: SpamAssassin');
    const spam = timeIt(() => readSpamAssassin());
    const texts = spam.value.train.examples.map((e) => e.text);
    const vocab = timeIt(() => buildWordPieceVocab(texts, { size: DEMO.builtVocabSize }));
    const dir = mkdtempSync(join(tmpdir(), 'lrc-bench-data-'));
    try {
      writeFileSync(join(dir, 'vocab.txt'), vocab.value.join('\n') + '\n');
      const tokenizer = await loadTokenizer(dir);
      const readPerExample = spam.timing.wallMs * (spam.value.train.examples.length / spam.value.messages);
      const p = await pipeline('SpamAssassin train (demo)', spam.value.train, tokenizer, DEMO.maxLength, readPerExample);
      rows.push(p.row);
      figures.spamAssassin = { ...p.figures, messages: spam.value.messages, readAllMs: spam.timing.wallMs, buildVocabMs: vocab.timing.wallMs };
      notes.push(`SpamAssassin: reading and cleaning all ${spam.value.messages} messages took ${fmt.n(spam.timing.wallMs / 1000, 2)} s (once per run); building the ${DEMO.builtVocabSize}-token vocabulary ${fmt.n(vocab.timing.wallMs / 1000, 2)} s (once per run).`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    const shared = locateSharedData(ctx.root);
    const glue = shared && join(shared, 'glue', 'SST-2', 'train.tsv');
    const bert = shared && join(shared, 'bert-base-uncased');
    if (!glue || !existsSync(glue) || !bert || !existsSync(join(bert, 'tokenizer.json'))) {
      notes.push(`SST-2 ${sharedDataSkipMessage('glue/SST-2/train.tsv and bert-base-uncased/tokenizer.json')}`);
    } else {
      ctx.log('data: SST-2');
      const read = timeIt(() => readGlueSplit(join(shared!, 'glue'), 'SST-2', 'train'));
      const dataset = ctx.quick ? { ...read.value, examples: read.value.examples.slice(0, 8000) } : read.value;
      const readMs = read.timing.wallMs * (dataset.examples.length / read.value.examples.length);
      for (const implementation of ['tokenizers-library', 'typescript'] as const) {
        const tokenizer = await loadTokenizer(bert, { implementation });
        const p = await pipeline('SST-2 train', dataset, tokenizer, 128, readMs);
        rows.push(p.row);
        figures[`sst2-${implementation}`] = p.figures;
      }
    }

    const table: Table = {
      title: `Examples per second (batches of ${BATCH})`,
      columns: ['data', 'tokenizer', 'examples', 'maxLength', 'read ex/s', 'tokenize ex/s', 'batch + tensors ex/s', 'tokenize + batch ex/s', 'mean L (pad to max)', "mean L (pad to batch's longest)", 'real tokens (max)', 'real tokens (longest)', 'real tokens (longest, bucketed)'],
      rows,
      note: `"tokenize" = tokenizeDataset (word pieces, [CLS]/[SEP], truncation); "batch + tensors" = one epoch of epochBatches (shuffled, padded) and their int32 tensors, as the training loop makes them. "real tokens" = the share of the batch positions that are not padding: the rest is compute the model spends on padding; "bucketed" sorts the shuffled examples by length within windows of 50 batches before cutting batches (computed from the lengths, not run).`,
    };
    return { tables: [table], notes, data: figures };
  },
};
