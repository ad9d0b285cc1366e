// Timing on a machine that other processes may share: wall time and this process's CPU time side by
// side, and the reference every speed is compared with, the matrix-multiply peak of the same backend
// measured in the same process (a 1024 x 1024 x 1024 product, 2 * 1024^3 FLOPs).
import * as tf from '@tensorflow/tfjs';

export interface Timing {
  /** Wall-clock milliseconds. */
  wallMs: number;
  /** CPU milliseconds of this process (user + system, all threads). Below wallMs when others took the CPU. */
  cpuMs: number;
}

function cpuMsNow(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Runs f once and times it. */
export function timeIt<T>(f: () => T): { value: T; timing: Timing } {
  const c0 = cpuMsNow();
  const t0 = performance.now();
  const value = f();
  return { value, timing: { wallMs: performance.now() - t0, cpuMs: cpuMsNow() - c0 } };
}

export async function timeAsync<T>(f: () => Promise<T>): Promise<{ value: T; timing: Timing }> {
  const c0 = cpuMsNow();
  const t0 = performance.now();
  const value = await f();
  return { value, timing: { wallMs: performance.now() - t0, cpuMs: cpuMsNow() - c0 } };
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Median wall and CPU time of a list of timings (each median on its own). */
export function medianTiming(timings: readonly Timing[]): Timing {
  return { wallMs: median(timings.map((t) => t.wallMs)), cpuMs: median(timings.map((t) => t.cpuMs)) };
}

/** The share of the wall time this process had the CPU: near 1 on a quiet machine (1 busy thread). */
export function cpuShare(t: Timing): number {
  return t.cpuMs / t.wallMs;
}

export const REFERENCE_SIZE = 1024;
const REFERENCE_FLOPS = 2 * REFERENCE_SIZE ** 3;

export interface ReferenceSummary {
  what: string;
  /** Best wall-time GFLOP/s of all samples: the peak that ratios are taken against. */
  peakGflops: number;
  /** Best CPU-time GFLOP/s: the peak for CPU-time ratios. */
  peakCpuGflops: number;
  /** Median wall-time GFLOP/s: how noisy the machine was. */
  medianGflops: number;
  samples: number;
}

/**
 * The matMul peak of the current backend. Sample it at the start and between timed sections: the
 * best sample is the peak (what the backend can do when it has the CPU), so a busy moment lowers the
 * median but not the reference.
 */
export class MatMulReference {
  private wall: number[] = [];
  private cpu: number[] = [];
  private a?: tf.Tensor2D;
  private b?: tf.Tensor2D;

  /** `count` products (after one warm-up product the first time). */
  sample(count = 3): void {
    if (!this.a || !this.b) {
      this.a = tf.randomNormal([REFERENCE_SIZE, REFERENCE_SIZE], 0, 1, 'float32', 1) as tf.Tensor2D;
      this.b = tf.randomNormal([REFERENCE_SIZE, REFERENCE_SIZE], 0, 1, 'float32', 2) as tf.Tensor2D;
      tf.matMul(this.a, this.b).dispose();
    }
    for (let i = 0; i < count; i++) {
      const { timing } = timeIt(() => {
        const c = tf.matMul(this.a!, this.b!);
        c.dataSync();
        c.dispose();
      });
      this.wall.push(REFERENCE_FLOPS / timing.wallMs / 1e6);
      this.cpu.push(REFERENCE_FLOPS / Math.max(timing.cpuMs, 1e-3) / 1e6);
    }
  }

  summary(): ReferenceSummary {
    if (this.wall.length === 0) this.sample();
    return {
      what: `tf.matMul ${REFERENCE_SIZE}x${REFERENCE_SIZE}x${REFERENCE_SIZE} float32 on ${tf.getBackend()}`,
      peakGflops: Math.max(...this.wall),
      peakCpuGflops: Math.max(...this.cpu),
      medianGflops: median(this.wall),
      samples: this.wall.length,
    };
  }

  dispose(): void {
    tf.dispose([this.a, this.b].filter((t): t is tf.Tensor2D => t !== undefined));
    this.a = this.b = undefined;
  }
}
