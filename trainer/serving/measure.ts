// The serving cost of an exported model, measured on the backend this process computes with: the model
// loaded in eval mode, inputs of the task's max length (every position a real token, as the longest
// input would be), latency at batch 1 and throughput at a serving batch, each pass one forward pass with
// its logits read back to the CPU; warm-up passes first, left out of the figures (./timings.ts). A few
// seconds a model: at most `budgetMs` of timed passes per figure.
import { cpus, hostname } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadHfModel } from '../checkpoint/hfFolder';
import type { BertInputs, BertModel } from '../model/types';
import type { RunKind } from '../runs/runRecord';
import type { ServingCost } from '../sweep/report/frontTypes';
import { modelSize } from './modelSize';
import { latencyRecord, throughputRecord, timePasses, type PassPlan } from './timings';

export interface MeasureSettings {
  /** Examples a pass of the throughput figure (default 32). */
  batch: number;
  latency: PassPlan;
  throughput: PassPlan;
}

export const DEFAULT_SETTINGS: MeasureSettings = {
  batch: 32,
  // a slow model (a large teacher on a busy machine) stops at `floor` passes once `capMs` has gone by
  latency: { warmup: 5, min: 20, max: 500, budgetMs: 1500, floor: 5, capMs: 4000 },
  throughput: { warmup: 1, min: 5, max: 100, budgetMs: 2000, floor: 2, capMs: 4000 },
};

/** The process that measures: costs of one session were measured one after another in one process. */
export const SESSION = `${hostname()}:${process.pid}:${new Date().toISOString()}`;

export interface MeasureContext {
  runId: string;
  kind: RunKind;
  maxLength: number;
  trigger: ServingCost['trigger'];
  /** What ran beside the measurement; null when nothing of ours did. */
  beside: string | null;
  backend: { name: string; threads: number | null; version: string | null };
}

/** Inputs of `batch` examples of `length` tokens: [CLS], tokens drawn from the vocabulary by a fixed rule, [SEP]. */
function inputsOf(model: BertModel, batch: number, length: number): BertInputs {
  const vocab = model.config.vocab_size;
  const ids = new Int32Array(batch * length);
  for (let i = 0; i < ids.length; i++) ids[i] = vocab > 1000 ? 1000 + ((i * 7919) % (vocab - 1000)) : i % vocab;
  for (let b = 0; b < batch; b++) {
    ids[b * length] = Math.min(101, vocab - 1);
    ids[b * length + length - 1] = Math.min(102, vocab - 1);
  }
  const shape: [number, number] = [batch, length];
  return { inputIds: tf.tensor2d(ids, shape, 'int32'), attentionMask: tf.ones(shape, 'int32') as tf.Tensor2D, tokenTypeIds: tf.zeros(shape, 'int32') as tf.Tensor2D };
}

/** One forward pass, its logits read back (so that the time includes the whole computation). */
async function forwardPass(model: BertModel, inputs: BertInputs): Promise<void> {
  const logits = tf.tidy(() => model.forward(inputs, { training: false }).logits);
  await logits.data();
  logits.dispose();
}

/** The serving cost of the model folder (config.json, model.safetensors). */
export async function measureModel(folder: string, ctx: MeasureContext, settings: MeasureSettings = DEFAULT_SETTINGS): Promise<ServingCost> {
  const started = performance.now();
  const size = modelSize(join(folder, 'model.safetensors'));
  const { model } = loadHfModel(folder, { trainable: false });
  const length = Math.min(ctx.maxLength, model.config.max_position_embeddings);
  try {
    const one = inputsOf(model, 1, length);
    const many = inputsOf(model, settings.batch, length);
    try {
      const latency = latencyRecord(await timePasses(() => forwardPass(model, one), settings.latency), settings.latency.warmup);
      const throughput = throughputRecord(await timePasses(() => forwardPass(model, many), settings.throughput), settings.throughput.warmup, settings.batch);
      const cpu = cpus();
      return {
        version: 1, runId: ctx.runId, kind: ctx.kind, model: folder, measuredAt: new Date().toISOString(), session: SESSION, trigger: ctx.trigger,
        quiet: ctx.beside === null, beside: ctx.beside, backend: ctx.backend,
        host: { name: hostname(), cpus: cpu.length, cpuModel: cpu[0]?.model.trim() ?? 'unknown' },
        maxLength: length, latency, throughput, ...size, seconds: (performance.now() - started) / 1000,
      };
    } finally {
      tf.dispose([one.inputIds, one.attentionMask, one.tokenTypeIds, many.inputIds, many.attentionMask, many.tokenTypeIds]);
    }
  } finally {
    model.dispose();
  }
}
