// The kernels of one LRC training step, counted (deterministic, unlike a timing): `node --import tsx
// bench/lib/kernelCount.ts '{"backend":"tensorflow","shapes":"demo"}'` prints one JSON line: the backend,
// the number of kernels of the step (after one warm-up step), the kernels by name (most first), the reads
// back to JavaScript (dataSync/data) and the live tensors after each step. Issue 21: the demo step on
// tensorflow is bound by the number of kernels (about 49 us each), not by arithmetic.
import * as tf from '@tensorflow/tfjs';
import { selectBackend, type BackendName } from '../../trainer/backend/select';
import { resolveThreads } from '../../trainer/backend/threadsSetting';
import { distillationStep } from '../../trainer/train/distillStep';
import { buildDistillation, disposeBatch, syntheticBatch } from './models';
import { DEMO_SHAPES, PAPER_SHAPES } from './shapes';

interface KernelCountArgs {
  backend: BackendName;
  shapes: 'demo' | 'paper';
  threads?: string;
}

/** Counts the reads of tensor values into JavaScript (each a wait for the backend) while `f` runs. */
function countReads<T>(f: () => T): { result: T; reads: number } {
  const proto = tf.Tensor.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
  const names = ['dataSync', 'data', 'arraySync', 'array', 'bufferSync', 'buffer'];
  const saved = names.map((n) => proto[n]);
  let reads = 0;
  let depth = 0;
  names.forEach((n, i) => {
    proto[n] = function (this: unknown, ...a: unknown[]) {
      if (depth === 0) reads += 1; // one read, however the tensor's methods call each other
      depth += 1;
      try {
        return saved[i].apply(this, a);
      } finally {
        depth -= 1;
      }
    };
  });
  try {
    return { result: f(), reads };
  } finally {
    names.forEach((n, i) => { proto[n] = saved[i]; });
  }
}

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2]) as KernelCountArgs;
  const { threads, source } = resolveThreads(args.threads ?? 'auto');
  const report = await selectBackend({ force: args.backend, threads, threadsSource: source });
  const shapes = args.shapes === 'paper' ? PAPER_SHAPES : DEMO_SHAPES;
  const { d, dispose } = buildDistillation(shapes);
  const batch = syntheticBatch(shapes, 7);
  const tensors: number[] = [];
  distillationStep(d, batch, { step: 0, dropoutSeed: 100 }); // warm-up: the optimiser's moments are created here
  tensors.push(tf.memory().numTensors);
  let reads = 0;
  const info = await tf.profile(() => {
    reads = countReads(() => distillationStep(d, batch, { step: 1, dropoutSeed: 101 })).reads;
  });
  tensors.push(tf.memory().numTensors);
  distillationStep(d, batch, { step: 2, dropoutSeed: 102 });
  tensors.push(tf.memory().numTensors);
  const byName = new Map<string, number>();
  for (const k of info.kernels) byName.set(k.name, (byName.get(k.name) ?? 0) + 1);
  const kernelsByName = Object.fromEntries([...byName].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
  disposeBatch(batch);
  dispose();
  console.log(JSON.stringify({ backend: report.backend, shapes: shapes.name, kernels: info.kernels.length, reads, kernelsByName, tensors }));
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  },
);
