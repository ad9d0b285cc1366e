// A hand-made sweep input for the front's tests: tasks Spam (accuracy) and STS-B (Pearson, a regression)
// x shapes 2x128, 4x312 x methods LRC, MSE x seeds 1, 2, with serving costs of round latencies. On
// purpose: Spam 4x312 MSE never measured (best score, off the front); STS-B 4x312 LRC seed 2 with a null
// correlation; STS-B 4x312 MSE measured beside a pool of 2 workers in another process; the STS-B teacher
// not measured.
import type { ServingCost } from '../../../trainer/sweep/report/frontTypes';
import type { SweepReportInput, SweepRunResult } from '../../../trainer/sweep/report/types';


export function cost(runId: string, ms: number, opts: Partial<ServingCost> = {}): ServingCost {
  return {
    version: 1, runId, kind: 'lrc', model: `/runs/${runId}/export`, measuredAt: '2026-12-07T20:00:00Z', session: 'h:1:t', trigger: 'sweep-measure', quiet: true, beside: null,
    backend: { name: 'wasm', threads: 2, version: '4.22.0' }, host: { name: 'h', cpus: 2, cpuModel: 'cpu' }, maxLength: 128,
    latency: { batch: 1, warmup: 5, repetitions: 20, medianMs: ms, p95Ms: ms * 1.2, meanMs: ms, minMs: ms, maxMs: ms * 1.5, p95Method: 'nearest-rank' },
    throughput: { batch: 32, warmup: 2, repetitions: 5, examplesPerSecond: 32000 / (ms * 10), medianBatchMs: ms * 10 },
    parameters: { total: 1000, word: 500 }, size: { f32Bytes: 4100, f16Bytes: 2100 }, seconds: 1, ...opts,
  };
}

function run(task: string, shape: string, method: string, seed: number, score: number | null, ms?: number, extra: Partial<SweepRunResult> = {}): SweepRunResult {
  const primary = task === 'STS-B' ? 'pearson' : 'accuracy';
  const runId = `${task}-${shape}-${method}-${seed}`;
  return { runId, cell: { task, shape, method }, seed, kind: method === 'LRC' ? 'lrc' : 'mse', status: 'finished', primary, metrics: { [primary]: score }, teacherRunId: `t-${task}`, ...(ms !== undefined ? { serving: cost(runId, ms) } : {}), ...extra };
}

export function frontInput(): SweepReportInput {
  return {
    sweep: { id: 'sw', name: 'shapes' },
    axes: [{ name: 'task', levels: ['Spam', 'STS-B'] }, { name: 'shape', levels: ['2x128', '4x312'] }, { name: 'method', levels: ['LRC', 'MSE'] }],
    seeds: [1, 2],
    runs: [
      run('Spam', '2x128', 'LRC', 1, 0.90, 1.0), run('Spam', '2x128', 'LRC', 2, 0.92, 1.2),
      run('Spam', '2x128', 'MSE', 1, 0.88, 1.1), run('Spam', '2x128', 'MSE', 2, 0.88, 1.1),
      run('Spam', '4x312', 'LRC', 1, 0.96, 4.0), run('Spam', '4x312', 'LRC', 2, 0.94, 4.4),
      run('Spam', '4x312', 'MSE', 1, 0.97), run('Spam', '4x312', 'MSE', 2, 0.97), // never measured
      run('STS-B', '2x128', 'LRC', 1, 0.70, 1.0), run('STS-B', '2x128', 'LRC', 2, 0.72, 1.0),
      run('STS-B', '4x312', 'LRC', 1, 0.84, 4.0), run('STS-B', '4x312', 'LRC', 2, null, 4.0), // a null correlation
      run('STS-B', '4x312', 'MSE', 1, 0.83, 3.0, { serving: { ...cost('x', 3.0), quiet: false, beside: 'ran in a pool of 2 worker processes', session: 'h:2:t' } }),
    ],
    teachers: [
      { runId: 't-Spam', cell: { task: 'Spam' }, status: 'finished', primary: 'accuracy', metrics: { accuracy: 0.955 }, serving: cost('t-Spam', 20) },
      { runId: 't-STS-B', cell: { task: 'STS-B' }, status: 'finished', primary: 'pearson', metrics: { pearson: 0.86 } },
    ],
    comparisons: [],
  };
}

