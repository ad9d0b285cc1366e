// The data of a general-distillation run: the corpus files, a few passages held out from its start for
// evaluation (and the layer heatmap), and the training batches streamed from after them, pass after
// pass. One counting pass at the start gives the passages per epoch (the learning-rate schedule needs the
// run's length); a checkpoint keeps the counts and the stream's position, so a resumed run neither
// counts again nor reads again what it trained on, and refuses a corpus whose files changed meanwhile.
import { statSync } from 'node:fs';
import type { Batch, TokenizedDataset } from '../data/batches';
import { padBatch } from '../tokenizer/encode';
import type { BertTokenizer } from '../tokenizer/types';
import { UserError } from '../errors';
import type { StepFeed } from '../session/stepFeed';
import { listCorpusFiles, type CorpusFile } from './corpusFiles';
import { PassageStream, type CorpusPosition, type Passage, type PassageSettings } from './passageStream';
import { nextTurn, TimeSlices, type Pause } from '../util/timeSlices';

export interface CorpusSource extends Omit<PassageSettings, 'maxLength'> {
  paths: string[];
  /** Passages from the corpus's start held out for evaluation. */
  devPassages: number;
}

/** What a checkpoint keeps of the feed. */
export interface CorpusFeedState {
  step: number;
  position: CorpusPosition;
  /** Where each pass starts (after the held-out passages). */
  start: CorpusPosition;
  passages: number;
  tokens: number;
  files: { path: string; bytes: number }[];
}

export interface CorpusData {
  files: CorpusFile[];
  dev: TokenizedDataset;
  feed: CorpusFeed;
}

function fileSizes(files: readonly CorpusFile[]): CorpusFeedState['files'] {
  return files.map((f) => ({ path: f.path, bytes: statSync(f.path).size }));
}

function checkUnchanged(saved: CorpusFeedState['files'], now: CorpusFeedState['files']): void {
  const was = saved.map((f) => `${f.path} (${f.bytes} bytes)`).join(', ');
  if (saved.length !== now.length) throw new UserError(`the corpus changed since the checkpoint: it had ${saved.length} files (${was}), now ${now.length}; start a new run`, 'corpus');
  saved.forEach((f, i) => {
    if (f.path !== now[i].path || f.bytes !== now[i].bytes) throw new UserError(`the corpus changed since the checkpoint: ${f.path} had ${f.bytes} bytes, now ${now[i].path} has ${now[i].bytes}; start a new run`, 'corpus');
  });
}

export class CorpusFeed implements StepFeed {
  private nextStep: number;

  constructor(
    private readonly stream: PassageStream,
    private readonly start: CorpusPosition,
    readonly examplesPerEpoch: number,
    readonly tokensPerEpoch: number,
    private readonly batchSize: number,
    private readonly padId: number,
    private readonly maxLength: number,
    private readonly files: CorpusFeedState['files'],
    step: number,
  ) {
    this.nextStep = step;
  }

  /** The next `batchSize` passages, a new pass begun when one ends; batches are taken in step order. */
  async batch(step: number): Promise<Batch> {
    if (step !== this.nextStep) throw new Error(`the corpus feed streams in order: asked for step ${step}, the next is ${this.nextStep}`);
    const passages: Passage[] = [];
    let wrapped = false;
    while (passages.length < this.batchSize) {
      const p = await this.stream.next();
      if (p) {
        passages.push(p);
        wrapped = false;
        continue;
      }
      if (wrapped) throw new UserError(`the corpus has no passages after the ${this.start.file > 0 || this.start.offset > 0 ? 'held-out ones' : 'start'}: did its files change during the run?`, 'corpus');
      this.stream.seek({ ...this.start, epoch: this.stream.position.epoch + 1 });
      wrapped = true;
    }
    this.nextStep += 1;
    const encoded = padBatch(passages, this.maxLength, this.padId, 'longest');
    const first = step * this.batchSize;
    // No labels: the loss of a general run is COS-NCE alone (alpha), which never reads them.
    return { ...encoded, indices: passages.map((_, k) => first + k), labels: new Int32Array(passages.length) };
  }

  /** The pass the next batch comes from (0-based). */
  get epoch(): number {
    return this.stream.position.epoch;
  }

  state(): Record<string, unknown> {
    const s: CorpusFeedState = { step: this.nextStep, position: this.stream.position, start: this.start, passages: this.examplesPerEpoch, tokens: this.tokensPerEpoch, files: this.files };
    return { ...s };
  }

  close(): void {
    this.stream.close();
  }
}

/** Counts the passages and word pieces of one pass from `start`, in time slices with `pause` between
 *  them (a 59 MB corpus was one block of 14 s: each passage's promise resolves without a turn of the
 *  event loop, so no signal or heartbeat ran). */
async function countPass(stream: PassageStream, pause: Pause): Promise<{ passages: number; tokens: number }> {
  const slices = new TimeSlices(pause);
  let passages = 0;
  let tokens = 0;
  for (let p = await stream.next(); p; p = await stream.next()) {
    passages += 1;
    tokens += p.inputIds.length;
    if (slices.due) await slices.pauseIfDue();
  }
  return { passages, tokens };
}

/**
 * Opens the corpus: the held-out passages, then the feed at `saved`'s position (a resumed run) or at
 * the first passage after them. `pause` runs between the time slices of the counting pass (a run's
 * set-up point, where a stop is heard).
 */
export async function openCorpus(source: CorpusSource, options: { tokenizer: BertTokenizer; maxLength: number; batchSize: number; saved?: CorpusFeedState; log: (m: string) => void; pause?: Pause }): Promise<CorpusData> {
  const files = listCorpusFiles(source.paths);
  const sizes = fileSizes(files);
  if (options.saved) checkUnchanged(options.saved.files, sizes);
  const settings: PassageSettings = { text: source.text, field: source.field, column: source.column, header: source.header, chunkBytes: source.chunkBytes, maxLength: options.maxLength };
  const { tokenizer } = options;
  const heldOut = new PassageStream(files, settings, tokenizer);
  const devPassages: Passage[] = [];
  while (devPassages.length < source.devPassages) {
    const p = await heldOut.next();
    if (!p) throw new UserError(`the corpus (${files.length} files) has ${devPassages.length} passages, not more than the ${source.devPassages} held out for evaluation (data.devPassages, --corpus-dev-passages)`, 'corpus');
    devPassages.push(p);
  }
  const start = heldOut.position;
  heldOut.close();
  let counts = options.saved && { passages: options.saved.passages, tokens: options.saved.tokens };
  if (!counts) {
    const counter = new PassageStream(files, settings, tokenizer, start);
    try {
      counts = await countPass(counter, options.pause ?? nextTurn);
    } finally {
      counter.close();
    }
    if (counts.passages === 0) throw new UserError(`the corpus (${files.length} files) has no passages after the ${source.devPassages} held out for evaluation`, 'corpus');
  }
  options.log(`corpus: ${files.length} files, ${counts.passages} passages (${counts.tokens} word pieces) a pass, ${devPassages.length} held out for evaluation`);
  const stream = new PassageStream(files, settings, tokenizer, options.saved?.position ?? { ...start });
  const dev: TokenizedDataset = {
    dataset: {
      name: 'corpus (held out)',
      kind: 'classification',
      labelNames: [],
      examples: devPassages.map((p) => ({ id: p.source, text: '', label: 0 })),
      source: source.paths.join(', '),
    },
    maxLength: options.maxLength,
    padId: tokenizer.vocab.padId,
    examples: devPassages,
  };
  const feed = new CorpusFeed(stream, start, counts.passages, counts.tokens, options.batchSize, tokenizer.vocab.padId, options.maxLength, sizes, options.saved?.step ?? 0);
  return { files, dev, feed };
}

