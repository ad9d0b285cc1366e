// Suite "kernels": where the time of an LRC step goes, per kernel. tf.profile() records every kernel
// the engine runs with its time; on WASM the kernels run synchronously and the backend's timer is the
// wall clock around each call, so the times are exact (backward kernels included: tf.grad runs them
// through the engine too). Kernels the training kernels call directly (the XNNPACK BatchMatMul inside
// the fast Sum, the transposes inside the fast BatchMatMul) count in their caller. The time outside
// every kernel is JavaScript: dropout masks, the gradient tape, tensor bookkeeping.
import * as tf from '@tensorflow/tfjs';
import { distillationStep, teacherForward } from '../../trainer/train/distillStep';
import { MatMulReference, median, timeIt } from '../lib/measure';
import { buildDistillation, disposeBatch, syntheticBatch } from '../lib/models';
import { fmt, type Table } from '../lib/report';
import { DEMO_SHAPES, PAPER_SHAPES, type BenchShapes } from '../lib/shapes';
import type { Suite, SuiteContext } from '../lib/suite';

interface KernelRecord {
  name: string;
  inputShapes: (number[] | null)[];
  outputShapes: number[][];
  kernelTimeMs: number;
}

interface KernelRow {
  name: string;
  calls: number;
  ms: number;
  teacherMs: number;
}

interface ProductRow {
  shape: string;
  calls: number;
  ms: number;
  gflop: number;
}

/** FLOPs of a BatchMatMul from its input and output shapes: k is a's dimension that is not m. */
export function batchMatMulFlops(a: number[], out: number[]): number {
  const m = out[out.length - 2];
  const n = out[out.length - 1];
  const batch = out.slice(0, -2).reduce((x, y) => x * y, 1);
  const [r, c] = a.slice(-2);
  const k = r === m ? c : r;
  return 2 * batch * m * n * k;
}

/**
 * The kernels f runs, timed. Scopes that are not kernels (tf.customGrad's 'unnamed scope', ops such as
 * logSoftmax__op) are left out: the kernels they run are recorded on their own, so their time would count twice.
 */
async function profileOf(f: () => void): Promise<{ kernels: KernelRecord[]; wallMs: number }> {
  const t0 = performance.now();
  const info = await tf.profile(f);
  const wallMs = performance.now() - t0;
  const backend = tf.getBackend();
  const kernels = (info.kernels as unknown as KernelRecord[]).filter((k) => tf.getKernel(k.name, backend) !== undefined);
  return { kernels, wallMs };
}

function totalMs(kernels: KernelRecord[]): number {
  return kernels.reduce((s, k) => s + k.kernelTimeMs, 0);
}

function byName(kernels: KernelRecord[]): Map<string, { calls: number; ms: number }> {
  const out = new Map<string, { calls: number; ms: number }>();
  for (const k of kernels) {
    const e = out.get(k.name) ?? { calls: 0, ms: 0 };
    e.calls += 1;
    e.ms += k.kernelTimeMs;
    out.set(k.name, e);
  }
  return out;
}

async function profileShapes(shapes: BenchShapes, ctx: SuiteContext) {
  const { d, dispose } = buildDistillation(shapes);
  const batch = syntheticBatch(shapes, 7);
  try {
    const paper = shapes.name === 'paper';
    ctx.log(`kernels ${shapes.name}: warm-up`);
    for (let s = 0; s < (paper ? 1 : 2); s++) distillationStep(d, batch, { step: s, dropoutSeed: 1 });
    // The step without the profiler (its time is the reference), then profiled: the least disturbed of a few.
    const plain: number[] = [];
    for (let r = 0; r < (paper ? 1 : 3); r++) plain.push(timeIt(() => distillationStep(d, batch, { step: 3, dropoutSeed: 2 })).timing.wallMs);
    ctx.log(`kernels ${shapes.name}: profiled step`);
    const least = async (f: () => void) => {
      let best: Awaited<ReturnType<typeof profileOf>> | undefined;
      for (let r = 0; r < (paper ? 1 : 3); r++) {
        const p = await profileOf(f);
        if (!best || totalMs(p.kernels) < totalMs(best.kernels)) best = p;
      }
      return best!;
    };
    const step = await least(() => distillationStep(d, batch, { step: 3, dropoutSeed: 2 }));
    const teacher = await least(() => {
      const out = teacherForward(d, batch.inputs);
      tf.dispose([out.logits, ...out.hiddenStates]);
    });
    const teacherBy = byName(teacher.kernels);
    const rows: KernelRow[] = [...byName(step.kernels)].map(([name, e]) => ({ name, calls: e.calls, ms: e.ms, teacherMs: teacherBy.get(name)?.ms ?? 0 }));
    rows.sort((a, b) => b.ms - a.ms);
    const products = new Map<string, ProductRow>();
    for (const k of step.kernels) {
      if (k.name !== 'BatchMatMul') continue;
      const a = k.inputShapes[0] ?? [];
      const b = k.inputShapes[1] ?? [];
      const shape = `[${a}] x [${b}] -> [${k.outputShapes[0]}]`;
      const e = products.get(shape) ?? { shape, calls: 0, ms: 0, gflop: 0 };
      e.calls += 1;
      e.ms += k.kernelTimeMs;
      e.gflop += batchMatMulFlops(a, k.outputShapes[0]) / 1e9;
      products.set(shape, e);
    }
    const kernelMs = totalMs(step.kernels);
    return { shapes: shapes.name, stepWallMs: median(plain), profiledWallMs: step.wallMs, kernelMs, kernelCount: step.kernels.length, rows, products: [...products.values()].sort((a, b) => b.ms - a.ms) };
  } finally {
    disposeBatch(batch);
    dispose();
  }
}

export const kernelsSuite: Suite = {
  name: 'kernels',
  title: 'Where the time of a step goes, per kernel',
  needsBackend: true,
  async run(ctx) {
    const reference = new MatMulReference();
    reference.sample(5);
    const profiles = [];
    for (const shapes of ctx.quick ? [DEMO_SHAPES] : [PAPER_SHAPES, DEMO_SHAPES]) profiles.push(await profileShapes(shapes, ctx));
    reference.sample(3);
    const ref = reference.summary();
    reference.dispose();
    const top = ctx.quick ? 10 : 15;
    const tables: Table[] = [];
    for (const p of profiles) {
      // Same run: the profiled step's wall time less its kernels' times.
      const outside = Math.max(0, p.profiledWallMs - p.kernelMs);
      const share = (ms: number) => fmt.pct(ms / p.profiledWallMs, 1);
      const shown = p.rows.slice(0, top);
      const rest = p.rows.slice(top);
      const restMs = rest.reduce((s, r) => s + r.ms, 0);
      tables.push({
        title: `Kernels of one LRC step, ${p.shapes} shapes (profiled step ${fmt.n(p.profiledWallMs / 1000, 2)} s, of which kernels ${fmt.n(p.kernelMs / 1000, 2)} s in ${fmt.int(p.kernelCount)} calls; ${fmt.n(p.stepWallMs / 1000, 2)} s without the profiler)`,
        columns: ['kernel', 'calls', 'ms', 'share of the profiled step', 'of which teacher forward ms'],
        rows: [
          ...shown.map((r) => [r.name, r.calls, fmt.ms(r.ms), share(r.ms), fmt.ms(r.teacherMs)]),
          [`${rest.length} other kernels`, rest.reduce((s, r) => s + r.calls, 0), fmt.ms(restMs), share(restMs), fmt.ms(rest.reduce((s, r) => s + r.teacherMs, 0))],
          ['outside kernels (JS between kernels: dropout masks, gradient tape, the profiler\'s own bookkeeping)', '-', fmt.ms(outside), share(outside), '-'],
        ],
      });
      const mmShown = p.products.slice(0, top);
      tables.push({
        title: `Matrix products (BatchMatMul) of the step by shape, ${p.shapes} shapes`,
        columns: ['a x b -> out', 'calls', 'ms', 'GFLOP', 'GFLOP/s', 'of matMul peak'],
        rows: mmShown.map((r) => [r.shape, r.calls, fmt.ms(r.ms), fmt.n(r.gflop, 2), fmt.n(r.gflop / (r.ms / 1000)), fmt.pct(r.gflop / (r.ms / 1000) / ref.peakGflops)]),
        note: `Top ${mmShown.length} of ${p.products.length} shapes by time. Shapes as the kernel sees them (a transposed operand shows its stored shape). Peak: ${fmt.n(ref.peakGflops)} GFLOP/s (${ref.what}, best of ${ref.samples}); a product timed at a quieter moment than every reference sample shows above 100%.`,
      });
    }
    return {
      tables,
      notes: [
        'tf.profile() on WASM: each kernel timed with the wall clock around it (the backend runs kernels synchronously). Shares are of the profiled step; "outside kernels" is its wall time less its kernel times. The "teacher forward" column comes from profiling the teacher forward pass on its own.',
        ctx.quick ? 'Quick mode: demo shapes only.' : 'Paper shapes: one step after a warm-up step (slow: see the training suite for the step time).',
      ],
      data: { reference: ref, profiles },
    };
  },
};
