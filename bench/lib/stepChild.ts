// One backend's LRC training step, timed in a process of its own (a process has one TensorFlow.js
// backend): `node --import tsx bench/lib/stepChild.ts '{"backend":"tensorflow","threads":"auto","shapes":"paper","warmup":1,"steps":3}'`
// prints one JSON line: the backend report, every timing, the median and the live tensors after each step.
// Used by the 'backends' suite to put the backends side by side in one benchmark run.
import * as tf from '@tensorflow/tfjs';
import { selectBackend, type BackendName } from '../../trainer/backend/select';
import { resolveThreads } from '../../trainer/backend/threadsSetting';
import { distillationStep } from '../../trainer/train/distillStep';
import { medianTiming, timeIt } from './measure';
import { buildDistillation, disposeBatch, syntheticBatch } from './models';
import { DEMO_SHAPES, PAPER_SHAPES } from './shapes';

interface StepChildArgs {
  backend: BackendName;
  threads: string;
  shapes: 'demo' | 'paper';
  warmup: number;
  steps: number;
}

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2]) as StepChildArgs;
  const { threads, source } = resolveThreads(args.threads);
  const report = await selectBackend({ force: args.backend, threads, threadsSource: source });
  const shapes = args.shapes === 'paper' ? PAPER_SHAPES : DEMO_SHAPES;
  const { d, dispose } = buildDistillation(shapes);
  const batch = syntheticBatch(shapes, 7);
  const warmup = Array.from({ length: args.warmup }, (_, s) => timeIt(() => distillationStep(d, batch, { step: s, dropoutSeed: 100 + s })).timing);
  const tensors: number[] = [];
  const steps = Array.from({ length: args.steps }, (_, s) => {
    const t = timeIt(() => distillationStep(d, batch, { step: args.warmup + s, dropoutSeed: 200 + s })).timing;
    tensors.push(tf.memory().numTensors);
    return t;
  });
  disposeBatch(batch);
  dispose();
  console.log(JSON.stringify({ report, threads: report.backend === 'wasm' ? threads : undefined, warmup, steps, median: medianTiming(steps), tensors }));
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  },
);
