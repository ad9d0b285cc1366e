// A seeded train/dev split, stratified by label for classification so that both parts keep the
// label balance. The same seed and the same examples in the same order give the same split.
import { SeededRandom } from '../util/random';
import type { Example, TextDataset } from './types';

export interface SplitOptions {
  /** Share of the examples that go to dev, in (0, 1). */
  devFraction: number;
  seed: number;
}

export function splitTrainDev(dataset: TextDataset, options: SplitOptions): { train: TextDataset; dev: TextDataset } {
  const { devFraction, seed } = options;
  if (!(devFraction > 0 && devFraction < 1)) throw new Error(`devFraction must be in (0, 1), got ${devFraction}`);
  const random = new SeededRandom(seed);
  const groups = new Map<number, Example[]>();
  for (const e of dataset.examples) {
    const key = dataset.kind === 'classification' ? e.label : 0;
    const group = groups.get(key);
    if (group) group.push(e);
    else groups.set(key, [e]);
  }
  const train: Example[] = [];
  const dev: Example[] = [];
  for (const key of [...groups.keys()].sort((a, b) => a - b)) {
    const shuffled = random.shuffle(groups.get(key)!);
    const devCount = Math.round(shuffled.length * devFraction);
    dev.push(...shuffled.slice(0, devCount));
    train.push(...shuffled.slice(devCount));
  }
  if (train.length === 0 || dev.length === 0) {
    throw new Error(`${dataset.name}: a dev fraction of ${devFraction} leaves ${train.length} train and ${dev.length} dev examples`);
  }
  // Keep the original order inside each part (the batches shuffle anyway).
  const position = new Map(dataset.examples.map((e, i) => [e, i]));
  const byPosition = (a: Example, b: Example) => position.get(a)! - position.get(b)!;
  return {
    train: { ...dataset, name: `${dataset.name} train`, examples: train.sort(byPosition) },
    dev: { ...dataset, name: `${dataset.name} dev`, examples: dev.sort(byPosition) },
  };
}
