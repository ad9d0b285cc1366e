// A tiny learnable text task written to files: positive when the text holds a "good" word.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SeededRandom } from '../../../trainer/util/random';
import type { SessionEvents } from '../../../trainer/session/trainingSession';

const GOOD = ['good', 'great', 'fine', 'nice'];
const BAD = ['bad', 'awful', 'poor', 'sad'];
const FILLER = ['the', 'movie', 'was', 'a', 'plot', 'actor', 'scene', 'really', 'quite', 'story', 'and', 'it'];

function sentence(r: SeededRandom, positive: boolean): string {
  const words = Array.from({ length: 3 + Math.floor(r.next() * 5) }, () => FILLER[Math.floor(r.next() * FILLER.length)]);
  const key = (positive ? GOOD : BAD)[Math.floor(r.next() * 4)];
  words.splice(Math.floor(r.next() * words.length), 0, key);
  return words.join(' ');
}

/** Writes train.tsv and dev.tsv (sentence, label) into `dir`; returns their paths. */
export function writeTinyTask(dir: string, trainSize = 96, devSize = 32, seed = 1): { train: string; dev: string } {
  const r = new SeededRandom(seed);
  const write = (name: string, n: number) => {
    const rows = Array.from({ length: n }, (_, i) => `${sentence(r, i % 2 === 0)}\t${i % 2 === 0 ? 'pos' : 'neg'}`);
    const path = join(dir, name);
    writeFileSync(path, `sentence\tlabel\n${rows.join('\n')}\n`);
    return path;
  };
  return { train: write('train.tsv', trainSize), dev: write('dev.tsv', devSize) };
}

export const TINY_TEACHER = { layers: 2, hidden: 32, heads: 4, intermediate: 64, dropout: 0 };
export const TINY_STUDENT = { layers: 1, hidden: 16, heads: 2, intermediate: 32, dropout: 0 };

/** A config for the tiny task; `extra` overrides fields. */
export function tinyConfig(files: { train: string; dev: string }, extra: Record<string, unknown>): Record<string, unknown> {
  return {
    data: { task: 'file', train: files.train, dev: files.dev, columns: { text: 'sentence', label: 'label' }, labelNames: ['neg', 'pos'] },
    maxLength: 16,
    builtVocabSize: 200,
    backend: 'wasm',
    seed: 7,
    optim: { batchSize: 8, epochs: 4, learningRate: 3e-3, warmupShare: 0.1 },
    eval: { everySteps: 12, batchSize: 16 },
    logEverySteps: 4,
    ...extra,
  };
}

/** Session events that print nothing; `onProgress` sees each logged step. */
export const quietEvents = (onProgress?: (step: number) => void): SessionEvents => ({
  log: () => {},
  progress: (p) => onProgress?.(p.step),
  evaluation: () => {},
  checkpoint: () => {},
  status: () => {},
});
