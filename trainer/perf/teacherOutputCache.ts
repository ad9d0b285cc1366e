// Caching the teacher's outputs across epochs. The teacher is frozen and runs in eval mode (no dropout),
// so its output for an example never changes during a distillation: from the second epoch on, the
// forward pass that costs two thirds of an LRC step at the paper's shapes (358 of 479 GFLOP) can be a
// look-up. Only what the step reads is kept: the hidden states of the mapped teacher layers at the
// example's real tokens (padding rows are masked out by every loss: 'flatten', 'mean' and the MSE
// zero them, 'cls' reads token 0) and the logits.
//
// Keys are the example's token ids and token types at its real positions, so a cache entry is found
// whatever batch the example comes in and however long that batch is padded. A batch with every example
// missing runs the teacher on the whole batch; one with some cached runs it on the missing rows only. Both
// store the missing ones (until `maxBytes`). The numbers are the same bit for bit as without the cache
// (test/unit/session/teacherCache.unit.test.ts): a row's output does not depend on the other rows of its
// batch nor on how far it is padded (attention gives padding keys a weight of exactly 0), and the
// losses zero the padding rows that the cache leaves at 0.
// Memory: layers x real tokens x hidden x 4 bytes per example (paper shapes, 4 mapped layers: 12 KiB
// per token, so MRPC's 3,668 training pairs of ~50 tokens take ~2.2 GiB, SST-2's 67k sentences of ~13
// tokens ~10 GiB: set maxBytes, or keep float16 copies, for large sets).
//
// Invalidation: none is needed in memory. The cache lives in one process, for one run, whose teacher
// (frozen) is fixed, and a key is the forward pass's exact input, so a key always means the same output.
// Its second level, the teacher-output store on disk (teacherOutputStore.ts), is shared between runs and
// processes and so lives in a folder per teacher fingerprint; what memory lacks is read from it, and what
// the teacher computes is added to it. With a float16 store, the teacher's hidden states are rounded to
// float16 whether they come from the store or from the teacher, so a run's numbers never depend on what
// the store held. The session wiring is in trainer/session/teacherCache.ts, the settings (--teacher-cache,
// --teacher-store) in teacherCacheSetting.ts and teacherStoreSetting.ts.
import * as tf from '@tensorflow/tfjs';
import type { BertInputs, BertModel, BertOutput } from '../model/types';
import { roundToFloat16, type TeacherEntry, type TeacherOutputStore } from './teacherOutputStore';

export interface TeacherOutputCacheOptions {
  /** Indices into hiddenStates that the loss reads: the mapping's teacher layers (1..N). */
  layers: readonly number[];
  /** Stop keeping new examples in memory beyond this many bytes (0: none). Default 2 GiB. */
  maxBytes?: number;
  /** The store on disk behind the memory (its layers must be `layers`). */
  store?: TeacherOutputStore;
  /** The hidden states as a float16 store keeps them (rounded to float16), wherever they come from. */
  float16?: boolean;
}

type Entry = TeacherEntry;

export interface TeacherCacheStats {
  /** Examples served without the teacher (from memory or from the store). */
  hits: number;
  /** Of those, read from the store on disk. */
  storeHits: number;
  misses: number;
  entries: number;
  bytes: number;
}

export class TeacherOutputCache {
  private readonly entries = new Map<string, Entry>();
  private readonly maxBytes: number;
  private bytes = 0;
  private hits = 0;
  private storeHits = 0;
  private misses = 0;

  constructor(private readonly options: TeacherOutputCacheOptions) {
    if (options.layers.length === 0) throw new Error('TeacherOutputCache: layers is empty: name the teacher layers the loss reads');
    this.maxBytes = options.maxBytes ?? 2 * 2 ** 30;
    const storeLayers = options.store?.fingerprint.layers;
    if (storeLayers && storeLayers.join(',') !== options.layers.join(',')) {
      throw new Error(`TeacherOutputCache: the store keeps layers [${storeLayers.join(', ')}], the cache [${options.layers.join(', ')}]`);
    }
  }

  /**
   * The teacher's eval-mode output on `inputs`: logits (B, C) and, at the cached layers only, the hidden
   * states (B, L, H) with zero rows at padding positions; the other entries of hiddenStates are absent.
   * The caller disposes the tensors.
   */
  outputs(teacher: BertModel, inputs: BertInputs): BertOutput {
    const [B, L] = inputs.inputIds.shape;
    const H = teacher.config.hidden_size;
    const C = teacher.config.num_labels;
    const ids = inputs.inputIds.dataSync();
    const types = inputs.tokenTypeIds.dataSync();
    const mask = inputs.attentionMask.dataSync();
    const positions: number[][] = [];
    const keys: string[] = [];
    for (let b = 0; b < B; b++) {
      const real: number[] = [];
      const parts: number[] = [];
      for (let l = 0; l < L; l++) {
        if (mask[b * L + l] === 0) continue;
        real.push(l);
        parts.push(ids[b * L + l], types[b * L + l]);
      }
      positions.push(real);
      keys.push(parts.join(','));
    }
    const rows = keys.map((k, b) => this.entries.get(k) ?? this.fromStore(k, positions[b].length, H, C));
    const missing = rows.flatMap((e, b) => (e ? [] : [b]));
    this.hits += B - missing.length;
    this.misses += missing.length;
    if (missing.length === 0) return this.assemble(rows as Entry[], positions, L, H, C);
    if (missing.length < B || this.options.float16) {
      // Some found: the teacher on the missing rows alone, then every row from its entry (and always
      // from entries when they are rounded to float16).
      const fresh = missing.length < B ? this.computeEntries(teacher, inputs, missing, positions) : this.computeAll(teacher, inputs, positions);
      missing.forEach((b, i) => { rows[b] = fresh[i]; });
      missing.forEach((b, i) => this.keep(keys[b], fresh[i], positions[b].length, H, C, true));
      return this.assemble(rows as Entry[], positions, L, H, C);
    }
    return tf.tidy(() => {
      const out = teacher.forward(inputs, { training: false });
      const entries = this.entriesOf(out, keys.map((_, b) => b), positions, L, H, C);
      keys.forEach((key, b) => this.keep(key, entries[b], positions[b].length, H, C, true));
      const hiddenStates: tf.Tensor3D[] = [];
      for (const layer of this.options.layers) hiddenStates[layer] = out.hiddenStates[layer];
      return { logits: out.logits, hiddenStates };
    });
  }

  /** The entries of rows `rows` of the batch, from a forward pass of those rows alone. */
  private computeEntries(teacher: BertModel, inputs: BertInputs, rows: number[], positions: number[][]): Entry[] {
    const [, L] = inputs.inputIds.shape;
    let entries: Entry[] = [];
    tf.tidy(() => {
      const index = tf.tensor1d(rows, 'int32');
      const sub: BertInputs = {
        inputIds: tf.gather(inputs.inputIds, index), // (m, L)
        attentionMask: tf.gather(inputs.attentionMask, index), // (m, L)
        tokenTypeIds: tf.gather(inputs.tokenTypeIds, index), // (m, L)
      };
      const out = teacher.forward(sub, { training: false });
      entries = this.entriesOf(out, rows.map((_, i) => i), rows.map((b) => positions[b]), L, teacher.config.hidden_size, teacher.config.num_labels);
    });
    return entries;
  }

  /** The entries of every row of the batch, from one forward pass. */
  private computeAll(teacher: BertModel, inputs: BertInputs, positions: number[][]): Entry[] {
    const [B, L] = inputs.inputIds.shape;
    let entries: Entry[] = [];
    tf.tidy(() => {
      const out = teacher.forward(inputs, { training: false });
      entries = this.entriesOf(out, Array.from({ length: B }, (_, b) => b), positions, L, teacher.config.hidden_size, teacher.config.num_labels);
    });
    return entries;
  }

  /** Entry values of rows `rows` of a forward pass's output; positions[i] are row rows[i]'s real tokens. */
  private entriesOf(out: BertOutput, rows: number[], positions: number[][], L: number, H: number, C: number): Entry[] {
    const layerValues = this.options.layers.map((layer) => {
      const h = out.hiddenStates[layer];
      if (!h) throw new Error(`TeacherOutputCache: the teacher has no hidden state ${layer} (it has ${out.hiddenStates.length - 1} layers)`);
      return h.dataSync() as Float32Array; // (B, L, H)
    });
    const logits = out.logits.dataSync() as Float32Array; // (B, C)
    return rows.map((b, i) => ({
      hidden: layerValues.map((values) => {
        const real = new Float32Array(positions[i].length * H);
        positions[i].forEach((l, j) => real.set(values.subarray((b * L + l) * H, (b * L + l + 1) * H), j * H));
        return this.options.float16 ? roundToFloat16(real) : real;
      }),
      logits: logits.slice(b * C, (b + 1) * C),
    }));
  }

  /** An entry the store has, kept in memory too while the budget allows. */
  private fromStore(key: string, tokens: number, H: number, C: number): Entry | undefined {
    const entry = this.options.store?.read(key);
    if (!entry) return undefined;
    this.storeHits += 1;
    this.keep(key, entry, tokens, H, C, false);
    return entry;
  }

  /** Keeps an entry in memory while the budget allows; one the teacher computed goes to the store too. */
  private keep(key: string, entry: Entry, tokens: number, H: number, C: number, computed: boolean): void {
    if (computed) this.options.store?.add(key, entry);
    if (this.entries.has(key)) return;
    const size = this.options.layers.length * tokens * H * 4 + C * 4;
    if (this.bytes + size > this.maxBytes) return;
    this.entries.set(key, entry);
    this.bytes += size;
  }

  stats(): TeacherCacheStats {
    return { hits: this.hits, storeHits: this.storeHits, misses: this.misses, entries: this.entries.size, bytes: this.bytes };
  }

  get store(): TeacherOutputStore | undefined {
    return this.options.store;
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  private assemble(entries: Entry[], positions: number[][], L: number, H: number, C: number): BertOutput {
    const B = entries.length;
    const hiddenStates: tf.Tensor3D[] = [];
    this.options.layers.forEach((layer, k) => {
      const values = new Float32Array(B * L * H); // padding rows stay 0
      entries.forEach((e, b) => positions[b].forEach((l, i) => values.set(e.hidden[k].subarray(i * H, (i + 1) * H), (b * L + l) * H)));
      hiddenStates[layer] = tf.tensor3d(values, [B, L, H]);
    });
    const logits = new Float32Array(B * C);
    entries.forEach((e, b) => logits.set(e.logits, b * C));
    return { logits: tf.tensor2d(logits, [B, C]), hiddenStates };
  }
}

/**
 * A view of the teacher whose forward pass goes through the cache: for the Distillation that
 * distillationStep gets (DistillCore.step) only; its hiddenStates are sparse, so evaluation and analysis
 * keep the real teacher. It throws on what the step never asks for (training mode, attentions, an embedding output).
 */
export function cachedTeacherModel(teacher: BertModel, cache: TeacherOutputCache): BertModel {
  return {
    config: teacher.config,
    trainableVariables: [],
    forward: (inputs, options) => {
      if (options.training || options.outputAttentions || options.embeddingOutput) throw new Error('cachedTeacherModel: only eval-mode forward passes of the clean input are cached');
      return cache.outputs(teacher, inputs);
    },
    embed: (inputs, training, seed) => teacher.embed(inputs, training, seed),
    namedWeights: () => teacher.namedWeights(),
    dispose: () => cache.clear(),
  };
}
