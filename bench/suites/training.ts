// Suite "training": throughput of the full LRC step (teacher forward, student forward and dL/dE on
// the clean input, student forward and backward on the perturbed input, clipping, AdamW) at the
// paper's and the demo's shapes, its FLOPs (lib/flops.ts) and the FLOP/s achieved as a share of the
// matMul peak measured in this process (with --threads N, the peak of N threads: on every core, the
// machine's all-core peak). Where the time goes by phase: each phase timed on its own. The same step
// with the teacher's outputs cached (trainer/perf/teacherOutputCache.ts), as every step from a run's
// second epoch is: the teacher is frozen, so its outputs are looked up instead of computed.
import * as tf from '@tensorflow/tfjs';
import { cachedTeacherModel, TeacherOutputCache } from '../../trainer/perf/teacherOutputCache';
import type { Distillation } from '../../trainer/train/distillation';
import { distillationStep, embeddingGradient, teacherForward } from '../../trainer/train/distillStep';
import { lrcStepFlops } from '../lib/flops';
import { MatMulReference, cpuShare, medianTiming, timeIt, type Timing } from '../lib/measure';
import { buildDistillation, disposeBatch, syntheticBatch } from '../lib/models';
import { fmt, type Table } from '../lib/report';
import { DEMO_SHAPES, PAPER_SHAPES, describeShape, type BenchShapes } from '../lib/shapes';
import type { Suite, SuiteContext } from '../lib/suite';

interface ShapeResult {
  shapes: BenchShapes;
  steps: number;
  firstStep: Timing;
  step: Timing;
  /** The step once the teacher's outputs for the batch are cached (a run's second epoch on). */
  cachedStep: Timing;
  phases: { teacher: Timing; cleanPass: Timing; optimizer: Timing; perturbedPass: Timing };
  flops: ReturnType<typeof lrcStepFlops>;
  tensorsAfterEachStep: number[];
}

function measureShapes(shapes: BenchShapes, steps: number, reference: MatMulReference, ctx: SuiteContext): ShapeResult {
  const { d, dispose } = buildDistillation(shapes);
  const batch = syntheticBatch(shapes, 7);
  const between = shapes.name === 'paper' ? 2 : 0;
  try {
    ctx.log(`training ${shapes.name}: warm-up step`);
    const first = timeIt(() => distillationStep(d, batch, { step: 0, dropoutSeed: 100 })).timing;
    ctx.log(`training ${shapes.name}: first step ${(first.wallMs / 1000).toFixed(1)} s; ${steps} timed steps`);
    const timings: Timing[] = [];
    const tensors: number[] = [];
    for (let s = 1; s <= steps; s++) {
      if (between) reference.sample(between);
      timings.push(timeIt(() => distillationStep(d, batch, { step: s, dropoutSeed: 100 + s })).timing);
      tensors.push(tf.memory().numTensors);
    }
    // The same step with the teacher's outputs cached: one step fills the cache, the next are timed.
    const cache = new TeacherOutputCache({ layers: d.mapping.map((p) => p.teacher) });
    const cachedD: Distillation = { ...d, teacher: cachedTeacherModel(d.teacher, cache) };
    distillationStep(cachedD, batch, { step: steps + 1, dropoutSeed: 300 });
    const cachedT: Timing[] = [];
    for (let s = 0; s < (shapes.name === 'paper' ? 2 : steps); s++) {
      if (between) reference.sample(between);
      cachedT.push(timeIt(() => distillationStep(cachedD, batch, { step: steps + 2 + s, dropoutSeed: 301 + s })).timing);
    }
    cache.clear();
    // Phases, each on its own: the teacher's forward pass, then the clean pass (perturbation steps 1-2).
    const weights = d.stages.weightsAt(steps + 1);
    const phaseRuns = shapes.name === 'paper' ? 1 : 5;
    const teacherT: Timing[] = [];
    const cleanT: Timing[] = [];
    const optimT: Timing[] = [];
    for (let r = 0; r < phaseRuns; r++) {
      if (between) reference.sample(between);
      const teacher = timeIt(() => {
        const out = teacherForward(d, batch.inputs);
        out.logits.dataSync();
        return out;
      });
      teacherT.push(teacher.timing);
      const clean = timeIt(() => {
        const g = embeddingGradient(d, batch, teacher.value, weights, 5);
        g.gradient.dataSync();
        return g.gradient;
      });
      cleanT.push(clean.timing);
      clean.value.dispose();
      tf.dispose([teacher.value.logits, ...teacher.value.hiddenStates]);
      // Clipping and AdamW over gradients of the right shapes (the values do not change the cost).
      const variables = [...d.student.trainableVariables, ...d.projections.trainableVariables];
      const grads: tf.NamedTensorMap = Object.fromEntries(variables.map((v) => [v.name, tf.fill(v.shape, 1e-4)]));
      optimT.push(timeIt(() => d.optimizer.applyGradients(grads, 1e-5, { maxGradNorm: d.maxGradNorm })).timing);
      tf.dispose(Object.values(grads));
    }
    const step = medianTiming(timings);
    const teacher = medianTiming(teacherT);
    const cleanPass = medianTiming(cleanT);
    const optimizer = medianTiming(optimT);
    const perturbedPass: Timing = {
      wallMs: step.wallMs - teacher.wallMs - cleanPass.wallMs - optimizer.wallMs,
      cpuMs: step.cpuMs - teacher.cpuMs - cleanPass.cpuMs - optimizer.cpuMs,
    };
    const flops = lrcStepFlops(shapes.teacher, shapes.student, shapes);
    return { shapes, steps, firstStep: first, step, cachedStep: medianTiming(cachedT), phases: { teacher, cleanPass, optimizer, perturbedPass }, flops, tensorsAfterEachStep: tensors };
  } finally {
    disposeBatch(batch);
    dispose();
  }
}

export const trainingSuite: Suite = {
  name: 'training',
  title: 'Training throughput of the LRC step',
  needsBackend: true,
  async run(ctx) {
    const reference = new MatMulReference();
    reference.sample(5);
    const results: ShapeResult[] = [];
    results.push(measureShapes(PAPER_SHAPES, ctx.quick ? 1 : 3, reference, ctx));
    reference.sample(3);
    results.push(measureShapes(DEMO_SHAPES, ctx.quick ? 5 : 20, reference, ctx));
    reference.sample(5);
    const ref = reference.summary();
    reference.dispose();

    const throughput: Table = {
      title: 'LRC step (teacher forward, clean pass with dL/dE, perturbed pass with backward, clip, AdamW)',
      columns: ['shapes', 'teacher', 'student', 'B x L', 'step s (wall)', 'examples/s', 'tokens/s', 'GFLOP/step', 'GFLOP/s', 'share of matMul peak', 'share, CPU time', 'CPU share of wall', 'first step s'],
      rows: results.map((r) => {
        const gflops = r.flops.total / r.step.wallMs / 1e6;
        const cpuGflops = r.flops.total / r.step.cpuMs / 1e6;
        return [
          r.shapes.name, describeShape(r.shapes.teacher), describeShape(r.shapes.student), `${r.shapes.batch} x ${r.shapes.seq}`,
          fmt.n(r.step.wallMs / 1000, r.step.wallMs > 10000 ? 1 : 3),
          fmt.n((1000 * r.shapes.batch) / r.step.wallMs, 2), fmt.int((1000 * r.shapes.batch * r.shapes.seq) / r.step.wallMs),
          fmt.g(r.flops.total), fmt.n(gflops, 1), fmt.pct(gflops / ref.peakGflops), fmt.pct(cpuGflops / ref.peakCpuGflops), fmt.pct(cpuShare(r.step)),
          fmt.n(r.firstStep.wallMs / 1000, 1),
        ];
      }),
      note: `Threads: ${ctx.threads}. Median of ${results.map((r) => `${r.steps} (${r.shapes.name})`).join(' and ')} steps after a warm-up step. matMul peak: ${fmt.n(ref.peakGflops)} GFLOP/s (best of ${ref.samples} samples of ${ref.what}, median ${fmt.n(ref.medianGflops)}); CPU-time peak ${fmt.n(ref.peakCpuGflops)}. "share, CPU time" divides by this process's CPU time instead of the wall time, which holds when other processes share the cores.`,
    };
    const cached: Table = {
      title: 'The same step with the teacher\'s outputs cached (every step from the second epoch on)',
      columns: ['shapes', 'step s, teacher computed', 'step s, teacher cached', 'speed-up', 'GFLOP computed', 'effective GFLOP/s (the whole step\'s GFLOP / wall)', 'effective share of matMul peak', 'mean step s over 3 epochs', 'share of peak over 3 epochs'],
      rows: results.map((r) => {
        const mean3 = (r.step.wallMs + 2 * r.cachedStep.wallMs) / 3;
        return [
          r.shapes.name, fmt.n(r.step.wallMs / 1000, 3), fmt.n(r.cachedStep.wallMs / 1000, 3), fmt.x(r.step.wallMs / r.cachedStep.wallMs),
          fmt.g(r.flops.total - r.flops.teacher), fmt.n(r.flops.total / r.cachedStep.wallMs / 1e6, 1), fmt.pct(r.flops.total / r.cachedStep.wallMs / 1e6 / ref.peakGflops),
          fmt.n(mean3 / 1000, 3), fmt.pct(r.flops.total / mean3 / 1e6 / ref.peakGflops),
        ];
      }),
      note: 'A cached step computes the student\'s passes only; "effective" divides the full LRC step\'s FLOPs (teacher included) by its time, i.e. the work a run gets done per second. Over 3 epochs (the paper\'s) the first computes the teacher and fills the cache, the other two look it up.',
    };
    const phases: Table = {
      title: 'Where the step goes, by phase (each timed on its own; the perturbed pass is the rest)',
      columns: ['shapes', 'phase', 'ms (wall)', 'ms (CPU)', 'share of step', 'GFLOP', 'GFLOP/s (CPU)', 'share of CPU peak'],
      rows: results.flatMap((r) => {
        const p = r.phases;
        const row = (name: string, t: Timing, flops: number) => [
          r.shapes.name, name, fmt.ms(t.wallMs), fmt.ms(t.cpuMs), fmt.pct(t.cpuMs / r.step.cpuMs),
          flops ? fmt.g(flops) : '-', flops ? fmt.n(flops / t.cpuMs / 1e6) : '-', flops ? fmt.pct(flops / t.cpuMs / 1e6 / ref.peakCpuGflops) : '-',
        ];
        return [
          row('teacher forward', p.teacher, r.flops.teacher),
          row('clean pass: student forward + dL/dE', p.cleanPass, r.flops.cleanPass),
          row('perturbed pass: forward + backward (rest)', p.perturbedPass, r.flops.perturbedPass),
          row('clip + AdamW', p.optimizer, 0),
        ];
      }),
    };
    const flat = results.every((r) => r.tensorsAfterEachStep.every((n) => n === r.tensorsAfterEachStep[0]));
    return {
      tables: [throughput, cached, phases],
      notes: [
        `Stage 2 (alpha:beta:gamma 1:1:3, T 1.1), gradient perturbation epsilon 1, COS-NCE with 'flatten' vectors and K = B - 1 negatives, uniform layer mapping; random token ids, no padding.`,
        `Live tensors after each timed step: ${results.map((r) => `${r.shapes.name} ${r.tensorsAfterEachStep.join(', ')}`).join('; ')} (${flat ? 'flat' : 'NOT flat'}).`,
      ],
      data: { reference: ref, threads: ctx.threads, results },
    };
  },
};
