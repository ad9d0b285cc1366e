// Seeded pseudo-random numbers, so that a run with the same seed shuffles, initialises and drops out
// the same way. splitmix32 is small, fast and passes the usual statistical tests; it is not for secrets.

/** A generator of uniform floats in [0, 1) and of 32-bit integer seeds, from one integer seed. */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new Error(`seed must be a finite number, got ${seed}`);
    this.state = Math.floor(seed) >>> 0;
  }

  /** The next 32-bit unsigned integer. */
  nextUint32(): number {
    this.state = (this.state + 0x9e3779b9) >>> 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** A seed for a tfjs op that takes one (dropout, random initialisers). */
  nextSeed(): number {
    return this.nextUint32() % 2147483647;
  }

  /** Fisher-Yates shuffle of a copy of `items`. */
  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }

  /** The state, to save in a checkpoint and restore with `SeededRandom.fromState`. */
  getState(): number {
    return this.state;
  }

  static fromState(state: number): SeededRandom {
    const r = new SeededRandom(0);
    r.state = state >>> 0;
    return r;
  }
}
