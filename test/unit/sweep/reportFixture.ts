// A small sweep for the report's tests: tasks SST-2 and CoLA x methods LRC, MSE, alone x seeds 7, 13,
// 42, with round values whose means, sds and differences are easy to work out by hand. Missing on
// purpose: CoLA's student alone (no cell: a combination the sweep left out, as `exclude` does), CoLA MSE seed 13 (no run); SST-2 alone seed 13 failed, 42
// still running; CoLA LRC seed 13 finished with a null MCC; a crashed earlier run of SST-2 MSE seed 7;
// one run on a task that is not a level of the sweep. The SST-2 teacher and LRC seed 42 carry what the
// runs table shows beside the scores (parameters, eval speed, steps, train time); the others carry none.
import type { SweepReportInput, SweepRunResult } from '../../../trainer/sweep/report/types';

type Status = SweepRunResult['status'];

function run(task: string, method: string, seed: number, status: Status, best?: number | null, last?: number | null, runId?: string): SweepRunResult {
  const primary = task === 'CoLA' ? 'mcc' : 'accuracy';
  const kind = method === 'LRC' ? 'lrc' : method === 'MSE' ? 'mse' : 'student';
  return {
    runId: runId ?? `${task}-${method}-${seed}`,
    cell: { task, method },
    seed, kind, status, primary,
    ...(best !== undefined ? { metrics: { [primary]: best } } : {}),
    ...(last !== undefined ? { last: { [primary]: last } } : {}),
    ...(kind === 'student' ? {} : { teacherRunId: task === 'CoLA' ? 't-cola' : 't-sst2' }),
  };
}

export function sweepInput(): SweepReportInput {
  return {
    sweep: { id: 'sw-1', name: 'main' },
    axes: [{ name: 'task', levels: ['SST-2', 'CoLA'] }, { name: 'method', levels: ['LRC', 'MSE', 'alone'] }],
    seeds: [7, 13, 42],
    runs: [
      // Out of order on purpose: the report orders cells by axis level and seeds by number.
      run('CoLA', 'MSE', 42, 'finished', 0.09, 0.09),
      run('CoLA', 'MSE', 7, 'finished', 0.08, 0.08),
      run('CoLA', 'LRC', 7, 'finished', 0.10, 0.10),
      run('CoLA', 'LRC', 13, 'finished', null, null),
      run('CoLA', 'LRC', 42, 'finished', 0.12, 0.12),
      { ...run('SST-2', 'LRC', 42, 'finished', 0.84, 0.83), details: { source: 'record', totalSteps: 1000, bestStep: 400, bestInStage1: true, trainSeconds: 90, parameters: { total: 760_000, word: 730_000 }, evalExamplesPerSecond: 800 } },
      run('SST-2', 'LRC', 7, 'finished', 0.80, 0.79),
      run('SST-2', 'LRC', 13, 'finished', 0.82, 0.81),
      run('SST-2', 'MSE', 7, 'crashed', undefined, undefined, 'SST-2-MSE-7-old'),
      run('SST-2', 'MSE', 7, 'finished', 0.81, 0.81),
      run('SST-2', 'MSE', 13, 'finished', 0.81, 0.81),
      run('SST-2', 'MSE', 42, 'finished', 0.83, 0.82),
      run('SST-2', 'alone', 7, 'finished', 0.78, 0.77),
      run('SST-2', 'alone', 13, 'failed'),
      run('SST-2', 'alone', 42, 'running', undefined, 0.7),
      run('MRPC', 'LRC', 7, 'finished', 0.7, 0.7),
    ],
    teachers: [
      { runId: 't-sst2', cell: { task: 'SST-2' }, status: 'finished', primary: 'accuracy', metrics: { accuracy: 0.85 }, last: { accuracy: 0.84 },
        details: { source: 'run folder', totalSteps: 1000, bestStep: 600, trainSeconds: 600, parameters: { total: 4_780_000, word: 3_910_000 }, evalExamplesPerSecond: 100 } },
      { runId: 't-cola', cell: { task: 'CoLA' }, status: 'finished', primary: 'mcc', metrics: { mcc: 0.04 }, last: { mcc: 0.03 } },
    ],
    comparisons: [
      { name: 'LRC vs MSE', axis: 'method', a: 'LRC', b: 'MSE' },
      { name: 'LRC vs alone', axis: 'method', a: 'LRC', b: 'alone' },
    ],
  };
}
