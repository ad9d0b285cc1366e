// Before anything is allocated: the parameters and the memory a run needs, from the shapes alone, and
// the check against what the machine has (MemAvailable, a cgroup's limit) and the backend's own limit
// (the WASM heap: 4 GiB). A shape far beyond the machine (80 billion parameters) is then one line and
// exit 2 within a second, instead of a process at 100% CPU for minutes that nothing stops.
//
// What is counted, in float32:
// - weights: the trained model (and the LRC projections), the frozen teacher;
// - the optimiser: AdamW's two moments, and one gradient, per trained weight;
// - activations at the batch and length asked: the peak of a training step, what the tape keeps of each
//   layer's forward pass and the gradients being made (ACTIVATIONS below, per token of the batch: values
//   of hidden and FFN width, and per attention head the (L, L) scores), and a teacher's values;
// - the teacher's outputs cache in memory (trainer/perf/teacherCacheSetting.ts): its budget.
// Parameters are exact (test/unit/perf/runMemory.unit.test.ts counts a real model's); the activations
// are an estimate, checked there against tf.memory() at a step's peak.
import { existsSync, readFileSync } from 'node:fs';
import { freemem, totalmem } from 'node:os';
import { UserError } from '../errors';

/** The dimensions of a BERT (a BertConfig's fields that size it). */
export interface BertDims {
  vocab: number;
  positions: number;
  types: number;
  hidden: number;
  layers: number;
  heads: number;
  intermediate: number;
  labels: number;
}

/** The parameters of a BERT with a pooler and a classifier, as trainer/model/bert.ts builds it (Hugging Face's names). */
export function bertParameters(d: BertDims): number {
  const h = d.hidden;
  const embeddings = (d.vocab + d.positions + d.types) * h + 2 * h; // word, position, token type, LayerNorm
  const layer = 4 * (h * h + h) + 2 * h + (h * d.intermediate + d.intermediate) + (d.intermediate * h + h) + 2 * h; // q k v o, LN, FFN in, out, LN
  const pooler = h * h + h;
  const classifier = h * d.labels + d.labels;
  return embeddings + d.layers * layer + pooler + classifier;
}

/** Float32 values at the peak of a training step (the tape's forward values and the gradients being
 *  made), per token of the batch: per layer, per unit of hidden and of FFN width, and per attention score
 *  (batch x heads x length x length); the embeddings' and the head's per unit of hidden. Measured with
 *  tf.memory() on the WASM backend's kernels, fine-tuning and distillation, over layers, widths, heads,
 *  batch and length (test/unit/perf/runMemory.unit.test.ts keeps the estimate within a factor 2). */
const ACTIVATIONS = { perHidden: 84, perFfn: 21, perScore: 10, embeddingsPerHidden: 37, teacherPerHidden: 24 };

export interface RunMemoryInput {
  /** The model trained. */
  trained: BertDims;
  /** An lrc / mse / general run's frozen teacher. */
  teacher?: BertDims;
  batchSize: number;
  maxLength: number;
  /** The teacher's outputs kept in memory (bytes): the cache's budget. */
  teacherCacheBytes?: number;
  /** A pretrain run: its masked-LM head (trainer/model/mlmHead.ts: a dense and LayerNorm of hidden width and
   *  a vocabulary bias, the decoder tied to the word embeddings) and the vocabulary logits of the chosen tokens. */
  mlm?: { maskProbability: number };
}

/** The parameters of the masked-LM head: transform (H x H + H), LayerNorm (2H), decoder bias (V). */
export function mlmHeadParameters(d: BertDims): number {
  return d.hidden * d.hidden + 3 * d.hidden + d.vocab;
}

export interface RunMemoryEstimate {
  /** Parameters of the trained model (with the LRC projections). */
  trainedParameters: number;
  teacherParameters: number;
  bytes: { weights: number; optimizer: number; activations: number; teacherCache: number };
  /** Bytes on the backend's own heap (everything but the teacher cache, which is JavaScript memory). */
  backendBytes: number;
  total: number;
}

function activationValues(d: BertDims, batch: number, length: number): number {
  const tokens = batch * length;
  const perLayer = tokens * (ACTIVATIONS.perHidden * d.hidden + ACTIVATIONS.perFfn * d.intermediate) + ACTIVATIONS.perScore * batch * d.heads * length * length;
  return d.layers * perLayer + tokens * d.hidden * ACTIVATIONS.embeddingsPerHidden;
}

export function estimateRunMemory(input: RunMemoryInput): RunMemoryEstimate {
  const { trained, teacher, batchSize: b, maxLength: l } = input;
  const projections = teacher ? trained.layers * trained.hidden * teacher.hidden : 0;
  const trainedParameters = bertParameters(trained) + projections + (input.mlm ? mlmHeadParameters(trained) : 0);
  const teacherParameters = teacher ? bertParameters(teacher) : 0;
  const weights = 4 * (trainedParameters + teacherParameters);
  const optimizer = 4 * 3 * trainedParameters; // two AdamW moments and the gradient
  // the teacher's forward pass has no tape: its mapped layers and one layer's values at a time
  // a pretrain step's logits over the vocabulary at the chosen tokens: the logits, their softmax and gradient
  const mlmValues = input.mlm ? 3 * Math.ceil(input.mlm.maskProbability * b * l) * trained.vocab : 0;
  const activations = 4 * (activationValues(trained, b, l) + (teacher ? ACTIVATIONS.teacherPerHidden * b * l * teacher.hidden : 0) + mlmValues);
  const teacherCache = input.teacherCacheBytes ?? 0;
  const backendBytes = weights + optimizer + activations;
  return { trainedParameters, teacherParameters, bytes: { weights, optimizer, activations, teacherCache }, backendBytes, total: backendBytes + teacherCache };
}

/** Bytes the process can still take: MemAvailable of /proc/meminfo (else os.freemem), at most what a
 *  cgroup (a container, a Slurm job) leaves under its limit; and where that figure comes from. */
export function availableMemory(): { bytes: number; source: string } {
  let bytes = freemem();
  let source = 'free memory (os.freemem)';
  try {
    const m = /^MemAvailable:\s+(\d+) kB/m.exec(readFileSync('/proc/meminfo', 'utf8'));
    if (m) {
      bytes = Number(m[1]) * 1024;
      source = 'MemAvailable in /proc/meminfo';
    }
  } catch {
    // not Linux
  }
  for (const [limitFile, usageFile] of [['/sys/fs/cgroup/memory.max', '/sys/fs/cgroup/memory.current'], ['/sys/fs/cgroup/memory/memory.limit_in_bytes', '/sys/fs/cgroup/memory/memory.usage_in_bytes']]) {
    try {
      if (!existsSync(limitFile)) continue;
      const limit = Number(readFileSync(limitFile, 'utf8').trim());
      const usage = Number(readFileSync(usageFile, 'utf8').trim());
      if (Number.isFinite(limit) && Number.isFinite(usage) && limit < totalmem() && limit - usage < bytes) {
        bytes = Math.max(0, limit - usage);
        source = `the memory cgroup's limit (${limitFile})`;
      }
      break;
    } catch {
      // no cgroup figures
    }
  }
  return { bytes, source };
}

/** The WASM backend's heap: 32-bit addresses. */
export const WASM_HEAP_BYTES = 4 * 2 ** 30;

export const gib = (bytes: number) => (bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(bytes >= 100 * 2 ** 30 ? 0 : 1)} GiB` : `${(bytes / 2 ** 20).toFixed(0)} MiB`);

const count = (n: number) => (n >= 1e9 ? `${(n / 1e9).toFixed(1)} billion` : n >= 1e6 ? `${(n / 1e6).toFixed(1)} million` : `${n}`);

/**
 * Refuses a run that does not fit: one line with the estimate and the limit. `backend` is the backend
 * the run computes on ('wasm' adds the heap's 4 GiB; undefined or 'auto' only the machine's memory).
 */
export function checkRunMemory(estimate: RunMemoryEstimate, input: RunMemoryInput, backend: string | undefined, what: string, available = availableMemory()): void {
  const { bytes } = estimate;
  const parts = `${count(estimate.trainedParameters)} parameters trained${estimate.teacherParameters ? ` and ${count(estimate.teacherParameters)} in the teacher` : ''}: ` +
    `weights ${gib(bytes.weights)}, optimiser ${gib(bytes.optimizer)}, activations at batch ${input.batchSize} x length ${input.maxLength} ${gib(bytes.activations)}` +
    (bytes.teacherCache ? `, teacher outputs ${gib(bytes.teacherCache)}` : '');
  const advice = 'give a smaller shape (--layers --hidden --ffn), batch (--batch-size) or max length (--max-length)';
  if (backend === 'wasm' && estimate.backendBytes > WASM_HEAP_BYTES) {
    throw new UserError(`${what}: needs about ${gib(estimate.backendBytes)} on the WASM backend (${parts}) but its heap holds at most 4 GiB; ${advice}, or the native backend (setup-native)`, 'model');
  }
  if (estimate.total > available.bytes) {
    throw new UserError(`${what}: needs about ${gib(estimate.total)} of memory (${parts}) but ${gib(available.bytes)} is available (${available.source}); ${advice}`, 'model');
  }
}
