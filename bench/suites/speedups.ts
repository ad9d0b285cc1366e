// Suite "speedups": before and after figures of the speed-ups prototyped in trainer/perf/, measured in
// one process against the same models:
//   - the teacher-output cache (trainer/perf/teacherOutputCache.ts): an LRC step whose teacher forward
//     pass is a look-up, as from the second epoch on;
//   - padding each batch to its longest example instead of maxLength (the session pads to maxLength):
//     the paper-shape step at SST-2's mean padded length, alone and with the cache;
//   - the row-copy GatherV2 and tiled Transpose kernels (trainer/backend/kernels/, registered with the
//     training kernels), switched to the stock ones and back in turns (A/B) on the student's part of the
//     step and on the student's batch-1 inference.
import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { epochBatches, tokenizeDataset } from '../../trainer/data/batches';
import { readGlueSplit } from '../../trainer/data/glueReader';
import { locateSharedData } from '../../trainer/data/sharedData';
import type { BertModel } from '../../trainer/model/types';
import { cachedTeacherModel, TeacherOutputCache } from '../../trainer/perf/teacherOutputCache';
import { useStockWasmKernels } from '../../trainer/backend/wasm-kernels';
import { loadTokenizer } from '../../trainer/tokenizer/loadTokenizer';
import type { TrainingBatch } from '../../trainer/train/batch';
import type { Distillation } from '../../trainer/train/distillation';
import { distillationStep } from '../../trainer/train/distillStep';
import { SeededRandom } from '../../trainer/util/random';
import { lrcStepFlops } from '../lib/flops';
import { MatMulReference, median, medianTiming, timeIt, type Timing } from '../lib/measure';
import { buildDistillation, buildModel, disposeBatch, syntheticBatch, syntheticInputs } from '../lib/models';
import { fmt, type Cell, type Table } from '../lib/report';
import { DEMO_SHAPES, PAPER_SHAPES, type BenchShapes } from '../lib/shapes';
import type { Suite, SuiteContext } from '../lib/suite';

/** SST-2 train's mean padded length in batches of 16 padded to their longest example, or undefined. */
async function sst2LongestLength(root: string): Promise<number | undefined> {
  const shared = locateSharedData(root);
  const bert = shared && join(shared, 'bert-base-uncased');
  if (!shared || !bert || !existsSync(join(shared, 'glue', 'SST-2', 'train.tsv')) || !existsSync(join(bert, 'vocab.txt'))) return undefined;
  const dataset = readGlueSplit(join(shared, 'glue'), 'SST-2', 'train');
  const tokenized = await tokenizeDataset(dataset, await loadTokenizer(bert, { implementation: 'typescript' }), 128);
  const lengths: number[] = [];
  for (const b of epochBatches(tokenized, { batchSize: 16, random: new SeededRandom(1), padTo: 'longest' })) lengths.push(b.seqLength);
  return lengths.reduce((s, l) => s + l, 0) / lengths.length;
}

function steps(d: Distillation, batch: TrainingBatch, count: number, from: number): Timing[] {
  const out: Timing[] = [];
  for (let s = 0; s < count; s++) out.push(timeIt(() => distillationStep(d, batch, { step: from + s, dropoutSeed: 50 + s })).timing);
  return out;
}

interface CacheResult { shapes: string; seq: number; normal: Timing; filling: Timing; cached: Timing; flops: number; teacherFlops: number; cacheBytes: number }

/** Normal steps, one step filling the cache, then steps with the cached teacher; same student and batch. */
function teacherCache(shapes: BenchShapes, seq: number, ctx: SuiteContext): CacheResult {
  const s = { ...shapes, seq };
  const { d, dispose } = buildDistillation(s);
  const batch = syntheticBatch(s, 11);
  const paper = shapes.name === 'paper';
  try {
    ctx.log(`speedups: teacher cache, ${shapes.name} shapes, L ${seq}`);
    steps(d, batch, 1, 0); // warm-up
    const normal = medianTiming(steps(d, batch, paper ? 1 : 5, 1));
    const cache = new TeacherOutputCache({ layers: d.mapping.map((p) => p.teacher) });
    const cachedD: Distillation = { ...d, teacher: cachedTeacherModel(d.teacher, cache) };
    const [filling] = steps(cachedD, batch, 1, 10);
    const cached = medianTiming(steps(cachedD, batch, paper ? 2 : 5, 11));
    const flops = lrcStepFlops(s.teacher, s.student, s);
    return { shapes: shapes.name, seq, normal, filling, cached, flops: flops.total, teacherFlops: flops.teacher, cacheBytes: cache.stats().bytes };
  } finally {
    disposeBatch(batch);
    dispose();
  }
}

interface AbResult { what: string; stock: number; fast: number }

const AB_KERNELS = [tf.GatherV2, tf.Transpose];

/** f timed `rounds` times with the stock GatherV2 and Transpose and with the fast ones, in turns; medians of wall ms. */
function ab(what: string, rounds: number, f: () => void): AbResult {
  const stock: number[] = [];
  const fast: number[] = [];
  for (let r = 0; r < rounds; r++) {
    useStockWasmKernels(AB_KERNELS);
    stock.push(timeIt(f).timing.wallMs);
    useStockWasmKernels(AB_KERNELS, false);
    fast.push(timeIt(f).timing.wallMs);
  }
  return { what, stock: median(stock), fast: median(fast) };
}

function kernelAb(ctx: SuiteContext): AbResult[] {
  const results: AbResult[] = [];
  // The student's part of the LRC step (the teacher cached): where the gathers and transposes are.
  for (const shapes of ctx.quick ? [DEMO_SHAPES] : [DEMO_SHAPES, PAPER_SHAPES]) {
    ctx.log(`speedups: kernels A/B, ${shapes.name} step`);
    const { d, dispose } = buildDistillation(shapes);
    const batch = syntheticBatch(shapes, 12);
    try {
      const cache = new TeacherOutputCache({ layers: d.mapping.map((p) => p.teacher) });
      const cachedD: Distillation = { ...d, teacher: cachedTeacherModel(d.teacher, cache) };
      steps(cachedD, batch, 2, 0);
      let step = 2;
      results.push(ab(`LRC step with the teacher cached, ${shapes.name} shapes`, shapes.name === 'paper' ? 3 : 9, () => { distillationStep(cachedD, batch, { step: step++, dropoutSeed: 7 }); }));
    } finally {
      disposeBatch(batch);
      dispose();
    }
  }
  ctx.log('speedups: kernels A/B, inference');
  for (const [shapes, batchSize] of [[PAPER_SHAPES, 1], [PAPER_SHAPES, 16], [DEMO_SHAPES, 16]] as const) {
    if (ctx.quick && shapes.name === 'paper' && batchSize > 1) continue;
    const student: BertModel = buildModel(shapes.student, shapes, { trainable: false, seed: 2 });
    const inputs = syntheticInputs(batchSize, shapes.seq, shapes.vocab, 3);
    const f = () => { tf.tidy(() => student.forward(inputs, { training: false }).logits.dataSync()); };
    f();
    results.push(ab(`student forward, ${shapes.name} shapes, batch ${batchSize}`, batchSize === 1 ? 21 : 9, f));
    tf.dispose([inputs.inputIds, inputs.attentionMask, inputs.tokenTypeIds]);
    student.dispose();
  }
  return results;
}

export const speedupsSuite: Suite = {
  name: 'speedups',
  title: 'Speed-ups prototyped in trainer/perf (before / after)',
  needsBackend: true,
  async run(ctx) {
    const reference = new MatMulReference();
    reference.sample(5);
    const notes: string[] = [];
    const cacheResults: CacheResult[] = [];
    cacheResults.push(teacherCache(DEMO_SHAPES, DEMO_SHAPES.seq, ctx));
    const sst2 = await sst2LongestLength(ctx.root);
    if (!ctx.quick) {
      cacheResults.push(teacherCache(PAPER_SHAPES, PAPER_SHAPES.seq, ctx));
      if (sst2 !== undefined) cacheResults.push(teacherCache(PAPER_SHAPES, Math.round(sst2), ctx));
      else notes.push('The padding figure needs SST-2 and bert-base-uncased from the shared data (absent): skipped.');
    }
    const kernels = kernelAb(ctx);
    reference.sample(3);
    const ref = reference.summary();
    reference.dispose();

    const base = cacheResults.find((r) => r.shapes === 'paper' && r.seq === PAPER_SHAPES.seq);
    const cacheTable: Table = {
      title: 'Teacher-output cache and padding to the batch\'s longest example: LRC step time',
      columns: ['shapes', 'B x L', 'step s (teacher computed)', 'filling step s', 'step s (teacher cached)', 'speed-up from the cache', 'speed-up against L 128, teacher computed', 'GFLOP/step cached', 'share of matMul peak, cached', 'cache bytes per example'],
      rows: cacheResults.map((r): Cell[] => {
        const batchSize = r.shapes === 'paper' ? PAPER_SHAPES.batch : DEMO_SHAPES.batch;
        const studentFlops = r.flops - r.teacherFlops;
        return [
          r.shapes, `${batchSize} x ${r.seq}`, fmt.n(r.normal.wallMs / 1000, 3), fmt.n(r.filling.wallMs / 1000, 3), fmt.n(r.cached.wallMs / 1000, 3),
          fmt.x(r.normal.wallMs / r.cached.wallMs), base && r.shapes === 'paper' ? fmt.x(base.normal.wallMs / r.cached.wallMs) : '-',
          fmt.g(studentFlops), fmt.pct(studentFlops / r.cached.wallMs / 1e6 / ref.peakGflops), fmt.int(r.cacheBytes / batchSize),
        ];
      }),
      note: `Synthetic batches with every position real.${sst2 !== undefined && cacheResults.some((r) => r.seq === Math.round(sst2)) ? ` L ${Math.round(sst2)} is SST-2 train's mean padded length when each batch of 16 is padded to its longest example (bert-base-uncased word pieces; maxLength 128); the session pads every batch to maxLength.` : ''} "speed-up against L 128" compares with the paper-shape step as the session runs it today (L 128, teacher computed). The filling step runs the teacher and stores its outputs (the first epoch).`,
    };
    const kernelTable: Table = {
      title: 'Row-copy GatherV2 and tiled Transpose (trainer/backend/kernels), in turns with the stock kernels',
      columns: ['measured', 'stock ms', 'with the fast kernels ms', 'speed-up'],
      rows: kernels.map((k) => [k.what, fmt.ms(k.stock), fmt.ms(k.fast), fmt.x(k.stock / k.fast, 2)]),
      note: 'Medians of alternating runs (stock, fast, stock, ...), so that a busy moment hits both.',
    };
    return {
      tables: [cacheTable, kernelTable],
      notes,
      data: { reference: ref, sst2LongestMean: sst2, cache: cacheResults, kernels },
    };
  },
};
