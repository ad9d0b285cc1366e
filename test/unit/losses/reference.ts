// Plain-JS float64 reference of the losses, written straight from the formulas of docs/lrc-bert.md
// (loops, no tfjs), for value checks and finite-difference gradient checks.

export type Matrix = number[][];

export function dot(a: number[], b: number[]): number {
  return a.reduce((s, x, i) => s + x * b[i], 0);
}

/** g(x, y) = 1 - cos with the same smoothed norms as the trainer: |x|_eps = sqrt(|x|^2 + eps^2). */
export function g(x: number[], y: number[], eps = 1e-6): number {
  return 1 - dot(x, y) / (Math.sqrt(dot(x, x) + eps * eps) * Math.sqrt(dot(y, y) + eps * eps));
}

export function matMul(a: Matrix, b: Matrix): Matrix {
  return a.map((row) => b[0].map((_, j) => row.reduce((s, x, k) => s + x * b[k][j], 0)));
}

/** vec(H) of one sample: H (L x D), mask (L). */
export function vec(h: Matrix, mask: number[], mode: 'flatten' | 'cls' | 'mean'): number[] {
  if (mode === 'cls') return h[0].slice();
  if (mode === 'flatten') return h.flatMap((row, t) => row.map((x) => x * mask[t]));
  const n = Math.max(1, mask.reduce((s, m) => s + m, 0));
  return h[0].map((_, j) => h.reduce((s, row, t) => s + row[j] * mask[t], 0) / n);
}

/** Batch-mean COS-NCE of one layer: student hidden (B x L x d), W (d x d'), teacher (B x L x d'). */
export function cosNceRef(
  student: Matrix[], w: Matrix, teacher: Matrix[], masks: number[][], mode: 'flatten' | 'cls' | 'mean',
  labels?: number[],
): number {
  const b = student.length;
  let total = 0;
  for (let i = 0; i < b; i++) {
    const zs = vec(matMul(student[i], w), masks[i], mode);
    const zt = vec(teacher[i], masks[i], mode);
    const pos = g(zt, zs);
    const negatives: number[][] = [];
    for (let k = 0; k < b; k++) {
      if (k !== i && (!labels || labels[k] !== labels[i])) negatives.push(vec(teacher[k], masks[k], mode));
    }
    let sum = 0;
    for (const n of negatives) sum += 2 - (g(n, zs) - pos);
    total += pos + (negatives.length ? sum / (2 * negatives.length) : 0);
  }
  return total / b;
}

/** Mean over real tokens and dimensions of (H^s W - H^t)^2. */
export function hiddenMseRef(student: Matrix[], w: Matrix, teacher: Matrix[], masks: number[][]): number {
  let sum = 0;
  let count = 0;
  student.forEach((h, i) => {
    const p = matMul(h, w);
    p.forEach((row, t) => {
      if (!masks[i][t]) return;
      row.forEach((x, j) => { sum += (x - teacher[i][t][j]) ** 2; count += 1; });
    });
  });
  return sum / count;
}

export function softmax(z: number[]): number[] {
  const m = Math.max(...z);
  const e = z.map((x) => Math.exp(x - m));
  const s = e.reduce((a, x) => a + x, 0);
  return e.map((x) => x / s);
}

/** Batch-mean KL(softmax(t/T) || softmax(s/T)), times T^2 when asked. */
export function klRef(teacher: Matrix, student: Matrix, temperature: number, timesT2: boolean): number {
  let sum = 0;
  teacher.forEach((t, i) => {
    const pt = softmax(t.map((x) => x / temperature));
    const ps = softmax(student[i].map((x) => x / temperature));
    pt.forEach((p, c) => { sum += p * Math.log(p / ps[c]); });
  });
  const mean = sum / teacher.length;
  return timesT2 ? mean * temperature * temperature : mean;
}

/** Central finite-difference gradient of f at x (float64), h = 1e-6. */
export function numericGradient(f: (x: number[]) => number, x: number[], h = 1e-6): number[] {
  return x.map((_, i) => {
    const up = x.slice();
    const down = x.slice();
    up[i] += h;
    down[i] -= h;
    return (f(up) - f(down)) / (2 * h);
  });
}

/** Deterministic pseudo-random numbers in [-1, 1) for test inputs. */
export function fill(n: number, seed: number): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 4294967296) * 2 - 1;
  });
}

export function reshape3(flat: number[], b: number, l: number, d: number): Matrix[] {
  return Array.from({ length: b }, (_, i) => Array.from({ length: l }, (_, t) => flat.slice((i * l + t) * d, (i * l + t + 1) * d)));
}

export function reshape2(flat: number[], r: number, c: number): Matrix {
  return Array.from({ length: r }, (_, i) => flat.slice(i * c, (i + 1) * c));
}

/** Asserts |a - e| <= atol + rtol |e| element-wise, naming the first bad index. */
export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, atol: number, rtol = 0, what = 'value'): void {
  if (actual.length !== expected.length) throw new Error(`${what}: length ${actual.length} != ${expected.length}`);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) {
      throw new Error(`${what}[${i}]: got ${a}, expected ${e} (atol ${atol}, rtol ${rtol})`);
    }
  }
}
