// Our side of the check of experiments/checkpoints/fetch.py --verify: loads a pre-trained BERT folder the
// way `--init` does (loadPretrainedHfModel: the encoder from the folder, a missing pooler or classifier
// fresh), tokenises GLUE dev sentences with the product's tokenizer for that folder (loadTokenizer, as a
// run does), runs the model in eval mode and writes, per batch, the token ids, types and mask and the
// hidden states of every layer (embedding output first) at the real tokens. compare.py reads them.
//
// Usage: node --import tsx experiments/checkpoints/dump-hidden.ts <folder> <out prefix> [--sentences 300] [--backend wasm|cpu|tensorflow]
//   [--tokenizer auto|typescript] (auto: what a run gets, Hugging Face's tokenizers library for a tokenizer.json;
//   typescript: the product's own TypeScript WordPiece tokenizer)
// Writes <out>.json (the layout and what ran) and <out>.bin (int32 ids, types, mask, then float32 states).
// The sentences: an equal share from the dev sets of SST-2, CoLA (single sentences), MRPC, RTE and STS-B
// (pairs: two segments, token types 0 and 1), first rows first; max length 128 (the product truncates
// longest-first), batches of 16 padded to their longest example, so padding is exercised too.
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { selectBackend, type BackendName } from '../../trainer/backend/select';
import { loadPretrainedHfModel } from '../../trainer/checkpoint/hfFolder';
import { readGlueSplit } from '../../trainer/data/glueReader';
import { locateSharedData } from '../../trainer/data/sharedData';
import { encodeTexts, loadTokenizer } from '../../trainer/tokenizer';

const TASKS = ['SST-2', 'CoLA', 'MRPC', 'RTE', 'STS-B'];
const MAX_LENGTH = 128;
const BATCH = 16;

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

async function main(): Promise<void> {
  const [folderArg, outArg] = process.argv.slice(2);
  if (!folderArg || !outArg) throw new Error('usage: dump-hidden.ts <folder> <out prefix> [--sentences N] [--backend wasm|cpu|tensorflow]');
  const folder = resolve(folderArg);
  const count = Number(option('--sentences', '300'));
  const backend = await selectBackend({ force: option('--backend', 'wasm') as BackendName });
  const glue = locateSharedData(resolve(__dirname, '..', '..'));
  if (!glue) throw new Error('no shared data (GLUE): set LRC_SHARED_DATA or put it at ../shared/data');

  // An equal share of each task's dev set, pairs kept as pairs.
  const examples: { task: string; text: string; textPair?: string }[] = [];
  const per = Math.ceil(count / TASKS.length);
  for (const task of TASKS) {
    const dev = readGlueSplit(`${glue}/glue`, task, 'dev');
    for (const e of dev.examples.slice(0, per)) examples.push({ task, text: e.text, textPair: e.textPair });
  }
  examples.length = Math.min(examples.length, count);

  const { model, notes, missingHead, config } = loadPretrainedHfModel(folder, { num_labels: 2 }, { trainable: false });
  const tokenizer = await loadTokenizer(folder, { implementation: option('--tokenizer', 'auto') as 'auto' | 'typescript' });
  const H = config.hidden_size;
  const bin = openSync(`${outArg}.bin`, 'w');
  let offset = 0;
  const write = (a: Int32Array | Float32Array): number => {
    const at = offset;
    writeSync(bin, new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    offset += a.byteLength;
    return at;
  };
  const batches: { tasks: string[]; batch: number; length: number; realTokens: number; ids: number; types: number; mask: number; states: number }[] = [];
  const t0 = performance.now();
  try {
    // Batches within a task, so that a batch is all single sentences or all pairs.
    const chunks: (typeof examples)[] = [];
    for (const task of TASKS) {
      const own = examples.filter((e) => e.task === task);
      for (let start = 0; start < own.length; start += BATCH) chunks.push(own.slice(start, start + BATCH));
    }
    for (const rows of chunks) {
      const pairs = rows[0].textPair !== undefined ? rows.map((r) => r.textPair ?? '') : undefined;
      const encoded = await encodeTexts(tokenizer, rows.map((r) => r.text), pairs, { maxLength: MAX_LENGTH, padTo: 'longest' });
      const { batchSize: B, seqLength: L } = encoded;
      const states = tf.tidy(() => {
        const out = model.forward({
          inputIds: tf.tensor2d(encoded.inputIds, [B, L], 'int32'),
          attentionMask: tf.tensor2d(encoded.attentionMask, [B, L], 'int32'),
          tokenTypeIds: tf.tensor2d(encoded.tokenTypeIds, [B, L], 'int32'),
        }, { training: false });
        // (layers + 1, B * L, H), then only the rows of real tokens.
        const all = tf.reshape(tf.stack(out.hiddenStates), [out.hiddenStates.length, B * L, H]);
        const real = Int32Array.from([...encoded.attentionMask.keys()].filter((i) => encoded.attentionMask[i] === 1));
        return tf.gather(all, real, 1); // (layers + 1, realTokens, H)
      });
      const values = states.dataSync() as Float32Array;
      const realTokens = states.shape[1];
      states.dispose();
      batches.push({
        tasks: [...new Set(rows.map((r) => r.task))], batch: B, length: L, realTokens,
        ids: write(encoded.inputIds), types: write(encoded.tokenTypeIds), mask: write(encoded.attentionMask), states: write(values),
      });
    }
  } finally {
    closeSync(bin);
    model.dispose();
  }
  const seconds = (performance.now() - t0) / 1000;
  writeFileSync(`${outArg}.json`, JSON.stringify({
    folder, backend: `${backend.package} ${backend.version} (${backend.backend})`, tokenizer: `${tokenizer.implementation} (${tokenizer.source})`,
    examples: examples.length, tasks: TASKS, maxLength: MAX_LENGTH, layers: config.num_hidden_layers + 1, hidden: H,
    loaderNotes: notes, freshHead: missingHead, seconds, batches,
  }, null, 2));
  process.stderr.write(`dump-hidden: ${examples.length} examples in ${batches.length} batches, ${seconds.toFixed(1)} s on ${backend.backend}; fresh: ${missingHead.join(', ') || 'nothing'}\n`);
}

main().then(() => process.exit(0), (e) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
