// Suite "memory": 1,000 LRC steps at the demo's shapes on the demo's data (SpamAssassin, WordPiece
// vocabulary built from it, length 64, batch 16: 3.4 epochs), through the session's DistillCore with the
// teacher-output cache on (as a run has it by default) and the suite's WASM threads, with an evaluation
// every 100 steps as the run loop does: live tensors, tfjs bytes and resident memory sampled every 10
// steps, and the process's peak resident memory. The tensor count must not grow; resident memory grows
// while the first epoch fills the cache, then must stay flat.
import * as tf from '@tensorflow/tfjs';
import { epochBatches, tokenizeDataset } from '../../trainer/data/batches';
import { readSpamAssassin } from '../../trainer/data/spamAssassin';
import { disposeBertInputs, toBertInputs, toLabelTensor } from '../../trainer/data/tensors';
import { DEFAULT_LOSS_CONFIG } from '../../trainer/losses/config';
import { DEFAULT_OPTIM_CONFIG } from '../../trainer/optim/config';
import { predict } from '../../trainer/session/evaluate';
import { DistillCore } from '../../trainer/session/trainingCore';
import { TeacherOutputCache } from '../../trainer/perf/teacherOutputCache';
import { buildWordPieceVocab } from '../../trainer/tokenizer/buildVocab';
import { loadTokenizer } from '../../trainer/tokenizer/loadTokenizer';
import { DEFAULT_STAGE_CONFIG } from '../../trainer/train/stages';
import { SeededRandom } from '../../trainer/util/random';
import { DEMO } from '../../trainer/cli/demo';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildModel } from '../lib/models';
import { fmt, type Table } from '../lib/report';
import { DEMO_SHAPES } from '../lib/shapes';
import type { Suite } from '../lib/suite';

interface Sample { step: number; tensors: number; tfBytes: number; rss: number; heapUsed: number }

const mib = (bytes: number) => bytes / 2 ** 20;

export const memorySuite: Suite = {
  name: 'memory',
  title: 'Memory over a run of the demo shapes',
  needsBackend: true,
  async run(ctx) {
    const steps = ctx.quick ? 60 : 1000;
    const evalEvery = ctx.quick ? 30 : 100;
    ctx.log('memory: reading and tokenizing the demo task');
    const task = readSpamAssassin();
    const dir = mkdtempSync(join(tmpdir(), 'lrc-bench-vocab-'));
    let tokenizer;
    try {
      const vocab = buildWordPieceVocab(task.train.examples.map((e) => e.text), { size: DEMO.builtVocabSize });
      writeFileSync(join(dir, 'vocab.txt'), vocab.join('\n') + '\n');
      tokenizer = await loadTokenizer(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const train = await tokenizeDataset(task.train, tokenizer, DEMO_SHAPES.seq);
    const dev = await tokenizeDataset({ ...task.dev, examples: task.dev.examples.slice(0, 256) }, tokenizer, DEMO_SHAPES.seq);
    const shapes = { ...DEMO_SHAPES, vocab: tokenizer.vocab.size };
    const teacher = buildModel(shapes.teacher, shapes, { trainable: false, seed: 1 });
    const student = buildModel(shapes.student, shapes, { trainable: true, seed: 2 });
    const core = new DistillCore(teacher, student, {
      loss: DEFAULT_LOSS_CONFIG,
      optim: { ...DEFAULT_OPTIM_CONFIG, learningRate: DEMO.studentOptim.learningRate },
      stages: DEFAULT_STAGE_CONFIG,
      totalSteps: steps,
      seed: 1,
    });
    const cache = new TeacherOutputCache({ layers: [...new Set(core.distillation.mapping.map((p) => p.teacher))] });
    core.useTeacherCache(cache);
    const epochSteps = Math.ceil(train.examples.length / shapes.batch);
    const samples: Sample[] = [];
    // With --expose-gc (bench/main.ts passes it) a full collection first: the cache's look-ups leave
    // tens of MiB of garbage arrays between collections, which would hide or fake a trend.
    const collect = (globalThis as { gc?: () => void }).gc;
    const sample = (step: number) => {
      collect?.();
      const m = tf.memory();
      const p = process.memoryUsage();
      samples.push({ step, tensors: m.numTensors, tfBytes: m.numBytes, rss: p.rss, heapUsed: p.heapUsed });
    };
    const random = new SeededRandom(5);
    const t0 = performance.now();
    let step = 0;
    let cacheStats = cache.stats();
    try {
      sample(0);
      while (step < steps) {
        for (const batch of epochBatches(train, { batchSize: shapes.batch, random })) {
          if (step >= steps) break;
          const inputs = toBertInputs(batch);
          const labels = toLabelTensor(batch);
          core.step({ inputs, labels }, step, random.nextSeed());
          disposeBertInputs(inputs);
          labels.dispose();
          step += 1;
          if (step % evalEvery === 0) await predict(core.model, dev, 32);
          if (step % 10 === 0) sample(step);
          if (step % 100 === 0) ctx.log(`memory: step ${step}`);
        }
      }
    } finally {
      cacheStats = cache.stats();
      core.dispose();
      teacher.dispose();
      student.dispose();
    }
    const seconds = (performance.now() - t0) / 1000;
    const peakRss = process.resourceUsage().maxRSS * 1024;
    // Stage 2 (from 80% of the steps) adds AdamW moments for the pooler and the classifier, which get no
    // gradient in stage 1: a one-time step up. Within each stage the count must stay the same.
    const stage2Start = Math.round(DEFAULT_STAGE_CONFIG.split * steps);
    const stage1 = samples.filter((s) => s.step >= 10 && s.step <= stage2Start);
    const stage2 = samples.filter((s) => s.step > stage2Start);
    const flatIn = (group: Sample[]) => group.every((s) => s.tensors === group[0]?.tensors);
    const flat = flatIn(stage1) && flatIn(stage2);
    const last = () => samples[samples.length - 1];
    // Resident memory once the first epoch has filled the cache: the median of the second epoch's samples
    // against the median of the last fifth of the run (medians, for what a collection leaves behind).
    const medianRss = (group: Sample[]) => {
      const v = group.map((x) => x.rss).sort((a, b) => a - b);
      return v.length ? v[Math.floor(v.length / 2)] : NaN;
    };
    const secondEpoch = samples.filter((x) => x.step > epochSteps && x.step <= 2 * epochSteps);
    const lastFifth = samples.filter((x) => x.step > 0.8 * steps);
    const filled = secondEpoch[0];
    const rssGrowthAfterFill = secondEpoch.length && lastFifth.length && lastFifth[0].step > 2 * epochSteps ? medianRss(lastFifth) - medianRss(secondEpoch) : NaN;
    const first = stage1[0] ?? samples[0];
    const half = samples.find((s) => s.step >= steps / 2) ?? first;
    const describe = (group: Sample[]) => group.length === 0 ? 'no samples' : flatIn(group) ? `${group[0].tensors} at every sample from step ${group[0].step} to ${group[group.length - 1].step}` : `NOT flat: ${group.map((s) => s.tensors).join(', ')}`;
    const flatNote = `Live tensors, stage 1: ${describe(stage1)}; stage 2 (from step ${stage2Start + 1}): ${describe(stage2)}${stage1.length && stage2.length ? ` (+${stage2[0].tensors - stage1[0].tensors}: the AdamW moments of the pooler and classifier weights, first trained in stage 2)` : ''}.`;
    const table: Table = {
      title: `${steps} LRC steps (teacher-output cache on, ${ctx.threads} threads) at the demo shapes (teacher ${DEMO_SHAPES.teacher.layers}x${DEMO_SHAPES.teacher.hidden}, student ${DEMO_SHAPES.student.layers}x${DEMO_SHAPES.student.hidden}, ${shapes.batch} x ${shapes.seq}), evaluation on 256 dev examples every ${evalEvery} steps`,
      columns: ['step', 'live tensors', 'tfjs MiB', 'RSS MiB', 'JS heap MiB'],
      rows: samples.filter((s) => s.step === 0 || s.step === 10 || s.step % Math.max(50, steps / 6) === 0 || s === last() || s === filled)
        .map((s) => [s.step, s.tensors, fmt.n(mib(s.tfBytes)), fmt.n(mib(s.rss)), fmt.n(mib(s.heapUsed))]),
      note: `Samples taken ${collect ? 'after a full garbage collection' : 'without collecting garbage first (run with --expose-gc to collect)'}. Peak RSS of the process: ${fmt.mib(peakRss)}. ${flatNote} RSS from the middle to the end: ${fmt.n(mib(last().rss - half.rss))} MiB; median of the second epoch (steps ${epochSteps + 1}-${2 * epochSteps}; the cache full: ${cacheStats.entries} examples, ${fmt.n(mib(cacheStats.bytes))} MiB, ${cacheStats.hits} hits, ${cacheStats.misses} misses) to the median of the last fifth (steps ${Math.round(0.8 * steps) + 1}-${steps}): ${fmt.n(mib(rssGrowthAfterFill))} MiB (the WASM heap only grows, to its high-water mark, then stays). ${fmt.n(steps / seconds)} steps/s including evaluation.`,
    };
    return {
      tables: [table],
      notes: [],
      data: { steps, seconds, peakRssBytes: peakRss, tensorsFlat: flat, stage2Start, epochSteps, rssGrowthAfterFill, cache: cacheStats, threads: ctx.threads, samples },
    };
  },
};
