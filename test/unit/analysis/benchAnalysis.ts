// Timing of one analysis (grids + case records) over 1,000 examples, on the WASM backend:
//   node --import tsx test/unit/analysis/benchAnalysis.ts
// Shapes: the tests' tiny ones (teacher 4 x 16, student 2 x 8, length 8) and a small real-looking pair
// (teacher 4 x 128, student 2 x 64, every example 64 tokens). The forward passes alone are timed too,
// to show what the analysis adds on top of running the models.
import * as tf from '@tensorflow/tfjs';
import { analyzeDataset, batchLayerDistances, datasetBatches, rowProjections, toAnalysisFile, type AnalysisModels } from '../../../trainer/analysis';
import type { TokenizedDataset } from '../../../trainer/data/batches';
import { resolveLayerMapping } from '../../../trainer/losses/layerMapping';
import { Projections } from '../../../trainer/losses/projections';
import { Bert } from '../../../trainer/model';
import type { BertConfig } from '../../../trainer/model/types';
import { SeededRandom } from '../../../trainer/util/random';
import { useBackend } from '../helpers/backend';

function config(layers: number, hidden: number, heads: number, length: number): BertConfig {
  return {
    vocab_size: 1000, hidden_size: hidden, num_hidden_layers: layers, num_attention_heads: heads, intermediate_size: hidden * 4,
    max_position_embeddings: Math.max(length, 16), type_vocab_size: 2, layer_norm_eps: 1e-12, hidden_dropout_prob: 0.1,
    attention_probs_dropout_prob: 0.1, initializer_range: 0.02, hidden_act: 'gelu', num_labels: 2, pad_token_id: 0,
  };
}

function dataset(count: number, length: number, fixedLength: boolean): TokenizedDataset {
  const r = new SeededRandom(1);
  const examples = Array.from({ length: count }, () => {
    const n = fixedLength ? length : 3 + Math.floor(r.next() * (length - 2));
    const inputIds = Array.from({ length: n }, (_, p) => (p === 0 ? 1 : 5 + Math.floor(r.next() * 990)));
    return { inputIds, tokenTypeIds: inputIds.map(() => 0), fullLength: n, truncated: false };
  });
  return {
    dataset: { name: 'bench', kind: 'classification', labelNames: ['a', 'b'], source: 'bench', examples: examples.map((e, i) => ({ id: `b:${i}`, text: e.inputIds.join(' '), label: i % 2 })) },
    maxLength: length, padId: 0, examples,
  };
}

async function bench(name: string, teacherShape: [number, number, number], studentShape: [number, number, number], length: number, fixedLength: boolean): Promise<void> {
  const teacher = new Bert(config(...teacherShape, length), { seed: 1, trainable: false });
  const students = [2, 3].map((seed) => {
    const model = new Bert(config(...studentShape, length), { seed, trainable: false });
    const mapping = resolveLayerMapping('uniform', studentShape[0], teacherShape[0]);
    const owner = new Projections({ count: mapping.length, studentHidden: studentShape[1], teacherHidden: teacherShape[1], seed });
    return { model, mapping, projections: owner.weights, owner };
  });
  const data = dataset(1000, length, fixedLength);
  const batchSize = 32;
  const models: AnalysisModels = { teacher, lrc: students[0] };
  await analyzeDataset(models, dataset(64, length, fixedLength), { batchSize }); // warm-up

  const time = async (label: string, run: () => Promise<unknown>) => {
    const start = performance.now();
    await run();
    const ms = performance.now() - start;
    console.log(`${name}: ${label}: ${(ms / 1000).toFixed(2)} s (${(ms / data.examples.length).toFixed(2)} ms per example)`);
    return ms;
  };
  await time('forward passes only (teacher + 1 student)', async () => {
    for (const batch of datasetBatches(data, { batchSize })) {
      tf.tidy(() => {
        teacher.forward(batch.inputs, { training: false }).logits.dataSync();
        students[0].model.forward(batch.inputs, { training: false }).logits.dataSync();
      });
    }
  });
  // The grid computation alone, on hidden states computed beforehand (not timed).
  const rows = rowProjections(students[0].mapping, { studentLayers: studentShape[0], studentHidden: studentShape[1], teacherHidden: teacherShape[1] }, 'nearest');
  let distancesMs = 0;
  for (const batch of datasetBatches(data, { batchSize })) {
    tf.tidy(() => {
      const t = teacher.forward(batch.inputs, { training: false }).hiddenStates;
      const s = students[0].model.forward(batch.inputs, { training: false }).hiddenStates;
      tf.stack([...t, ...s.map((h) => tf.pad(h, [[0, 0], [0, 0], [0, teacherShape[1] - studentShape[1]]]))]).dataSync();
      const start = performance.now();
      batchLayerDistances({ studentHidden: s, teacherHidden: t, rows, projections: students[0].projections, attentionMask: batch.inputs.attentionMask }, { vectorize: 'flatten' });
      distancesMs += performance.now() - start;
    });
  }
  console.log(`${name}: grid values alone (1 student, ${(studentShape[0] + 1) * (teacherShape[0] + 1)} cells): ${(distancesMs / 1000).toFixed(2)} s`);
  const before = tf.memory().numTensors;
  await time('grid + cases, 1 student', () => analyzeDataset(models, data, { batchSize }));
  const result = await (async () => {
    let out;
    await time('grid + cases, lrc + mse students', async () => (out = await analyzeDataset({ ...models, mse: students[1] }, data, { batchSize })));
    return out!;
  })();
  const bytes = JSON.stringify(toAnalysisFile(result, { step: 1, stage: 1, run: 'lrc', labelNames: ['a', 'b'] })).length;
  console.log(`${name}: tensors before/after ${before}/${tf.memory().numTensors}; file of 1,000 cases about ${(bytes / 1e6).toFixed(2)} MB`);
  teacher.dispose();
  for (const s of students) {
    s.model.dispose();
    s.owner.dispose();
  }
}

async function main(): Promise<void> {
  await useBackend('wasm');
  console.log(`backend ${tf.getBackend()}, batch 32, 1,000 examples`);
  await bench('tiny (4x16 / 2x8, length <= 8)', [4, 16, 4], [2, 8, 4], 8, false);
  await bench('4x128 / 2x64, length 64', [4, 128, 4], [2, 64, 4], 64, true);
}

void main();
