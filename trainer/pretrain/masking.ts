// BERT's masking of a batch for masked-language-model pre-training (Devlin et al. 2019, section 3.1):
// each real token (not [CLS], [SEP], [PAD] and not padding) is chosen with probability p (0.15); a
// chosen token becomes [MASK] 80% of the time, a random vocabulary token 10% (never a special one)
// and stays itself 10%; the model must predict the original token at every chosen position. Plain JS
// with a seeded generator, so a step's masks are reproducible and the same on every backend.
import { SeededRandom } from '../util/random';
import { UserError } from '../errors';

export interface MaskingSettings {
  /** Share of real tokens chosen for prediction (BERT: 0.15). */
  probability: number;
  maskId: number;
  vocabSize: number;
  /** Ids never chosen and never drawn as random replacements ([CLS], [SEP], [PAD], [MASK], [UNK]...). */
  specialIds: ReadonlySet<number>;
}

export interface MaskedBatch {
  /** (B * L) the input ids after masking. */
  inputIds: Int32Array;
  /** Flat positions (b * L + t) chosen for prediction, ascending; at least one per batch. */
  positions: Int32Array;
  /** The original token at each chosen position. */
  targets: Int32Array;
}

export function maskBatch(inputIds: Int32Array, attentionMask: Int32Array, settings: MaskingSettings, seed: number): MaskedBatch {
  const { probability, maskId, vocabSize, specialIds } = settings;
  if (!(probability > 0 && probability < 1)) throw new Error(`masking probability must be in (0, 1), got ${probability}`);
  if (maskId < 0 || maskId >= vocabSize) throw new UserError(`the vocabulary has no [MASK] token (mask id ${maskId}): masked-language-model pre-training needs one`);
  const random = new SeededRandom(seed);
  const candidates: number[] = [];
  for (let i = 0; i < inputIds.length; i++) if (attentionMask[i] === 1 && !specialIds.has(inputIds[i])) candidates.push(i);
  const chosen = candidates.filter(() => random.next() < probability);
  // A batch of short texts may draw no position; predict one anyway so every step has a loss.
  if (chosen.length === 0 && candidates.length > 0) chosen.push(candidates[Math.floor(random.next() * candidates.length)]);
  const ids = Int32Array.from(inputIds);
  const targets = new Int32Array(chosen.length);
  chosen.forEach((position, k) => {
    targets[k] = inputIds[position];
    const r = random.next();
    if (r < 0.8) ids[position] = maskId;
    else if (r < 0.9) ids[position] = randomOrdinaryToken(random, vocabSize, specialIds);
  });
  return { inputIds: ids, positions: Int32Array.from(chosen), targets };
}

function randomOrdinaryToken(random: SeededRandom, vocabSize: number, specialIds: ReadonlySet<number>): number {
  for (;;) {
    const id = Math.floor(random.next() * vocabSize);
    if (!specialIds.has(id)) return id;
  }
}
