// Child process of wasmThreads.unit.test.ts: starts the WASM backend with the thread count of argv[2],
// then trains from fixed seeds (teacher fine-tuning steps, then LRC distillation steps with the
// perturbation, both stages) and prints the losses, gradient norms and every student weight as hex of
// their float32 bits, so the parent can compare runs bit for bit.
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../../trainer/backend/select';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { DEFAULT_LOSS_CONFIG } from '../../../trainer/losses/config';
import { Bert } from '../../../trainer/model/bert';
import { AdamW } from '../../../trainer/optim/adamw';
import { DEFAULT_OPTIM_CONFIG } from '../../../trainer/optim/config';
import { createDistillation } from '../../../trainer/train/distillation';
import { distillationStep } from '../../../trainer/train/distillStep';
import { fineTuneStep } from '../../../trainer/train/fineTuneStep';
import { DEFAULT_STAGE_CONFIG } from '../../../trainer/train/stages';
import { makeExamples, tinyConfig, toBatch } from '../train/tinyTask';

const bits = (values: ArrayLike<number>) => Buffer.from(Float32Array.from(values).buffer).toString('hex');

async function main(): Promise<void> {
  const threads = Number(process.argv[2]);
  const report = await selectBackend({ force: 'wasm', threads });
  // Shapes big enough that XNNPACK tiles every product into several pieces per thread.
  const teacher = new Bert(tinyConfig(4, 128), { seed: 3, trainable: true });
  const batches = [0, 1, 2, 3].map((i) => toBatch(makeExamples(32, 10 + i)));
  const trace: (number | string)[] = [];
  const optimizer = new AdamW(teacher.namedWeights(), DEFAULT_OPTIM_CONFIG);
  for (let step = 0; step < 3; step++) {
    const r = fineTuneStep(teacher, optimizer, batches[step], { step, dropoutSeed: 5 + step, maxGradNorm: 1, learningRate: { peak: 1e-3, totalSteps: 3, warmupShare: 0 } });
    trace.push(r.loss, r.gradNorm);
  }
  const student = new Bert(tinyConfig(2, 64), { seed: 8, trainable: true });
  const d = createDistillation(teacher, student, { loss: DEFAULT_LOSS_CONFIG, optim: DEFAULT_OPTIM_CONFIG, stages: { ...DEFAULT_STAGE_CONFIG, split: 0.5 }, totalSteps: 4, seed: 1 });
  for (let step = 0; step < 4; step++) {
    const r = distillationStep(d, batches[step], { step, dropoutSeed: 20 + step });
    trace.push(r.clean.total, r.perturbed?.total ?? 'none', r.gradNorm);
  }
  const weights: Record<string, string> = {};
  for (const [name, v] of student.namedWeights()) weights[name] = bits(v.dataSync());
  for (const [name, v] of d.projections.namedWeights()) weights[`projection ${name}`] = bits(v.dataSync());
  const out = { device: report.device, threadsCount: getThreadsCount(), multithread: tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT'), trace: trace.map((x) => (typeof x === 'number' ? bits([x]) : x)), weights };
  process.stdout.write(`RESULT ${JSON.stringify(out)}\n`, () => process.exit(0)); // the pthread workers would keep the process alive
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
