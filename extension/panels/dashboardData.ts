// From the run store to what the dashboard draws: run.json as a RunView, metrics.jsonl records as
// chart points (progress, evaluations, and marks for controls, status changes and checkpoints).
import { effectiveStages, parseRunConfig } from '../../trainer/config/effective';
import type { MetricsRecord } from '../../trainer/runs/metricsLog';
import type { RunRecord } from '../../trainer/runs/runRecord';
import { isMetricPoint, type LossTermsView, type MetricPoint, type RunView, type WeightsView } from '../../webview/dashboard/protocol';

export function runView(record: RunRecord, owner: RunView['owner'], pid?: number): RunView {
  const view: RunView = {
    id: record.id,
    name: record.name,
    kind: record.kind,
    status: record.status,
    preset: record.preset,
    step: record.progress.step,
    totalSteps: record.progress.totalSteps,
    stage: record.progress.stage,
    best: record.best,
    backend: record.backend?.backend,
    device: record.backend?.device,
    rejected: record.backend?.rejected.length ? record.backend.rejected.map((r) => `${r.name}: ${r.reason}`).join('; ') : undefined,
    owner,
    pid: pid ?? record.owner?.pid,
    error: record.error?.message,
    pairedRunId: record.pairedRunId,
  };
  if (record.kind === 'lrc' || record.kind === 'mse') {
    try {
      const stages = effectiveStages(parseRunConfig(record.config));
      Object.assign(view, { split: stages.split, stage1: stages.stage1, stage2: stages.stage2, temperature: stages.temperature, epsilon: stages.epsilon });
    } catch {
      // a config the trainer would reject: the run shows without its planned stages
    }
  }
  return JSON.parse(JSON.stringify(view)) as RunView; // drops the undefined fields
}

function terms(v: unknown): LossTermsView | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const t = v as Record<string, unknown>;
  const out: LossTermsView = { total: t.total as number };
  for (const k of ['mid', 'soft', 'hard'] as const) if (typeof t[k] === 'number') out[k] = t[k] as number;
  return out;
}

function describeControl(request: unknown): string {
  const r = (request ?? {}) as Record<string, unknown>;
  const { type, ...rest } = r;
  const args = Object.entries(rest).map(([k, v]) => `${k} ${v}`).join(', ');
  return `${String(type)}${args ? ` (${args})` : ''}`;
}

/** One metrics record as a chart point, or undefined for records the dashboard does not draw. */
export function toPoint(r: MetricsRecord): MetricPoint | undefined {
  let p: MetricPoint | undefined;
  switch (r.type) {
    case 'progress':
      p = {
        type: 'progress', step: r.step, stage: r.stage as number, clean: terms(r.clean)!, perturbed: terms(r.perturbed),
        learningRate: r.learningRate as number, examplesPerSecond: r.examplesPerSecond as number, gradNorm: r.gradNorm as number,
        weights: r.weights as WeightsView | undefined,
      };
      if (!p.perturbed) delete p.perturbed;
      if (!p.weights) delete p.weights;
      break;
    case 'eval':
      p = { type: 'eval', step: r.step, metrics: r.metrics as Record<string, number>, primary: r.primary as string, score: r.score as number, best: !!r.best };
      break;
    case 'control':
      p = { type: 'mark', step: r.step, level: 'info', text: `applied ${describeControl(r.request)}` };
      break;
    case 'controlRejected':
      p = { type: 'mark', step: r.step, level: 'warn', text: `rejected ${describeControl(r.request)}: ${String(r.error)}` };
      break;
    case 'status':
      p = { type: 'mark', step: r.step, level: r.status === 'failed' ? 'error' : 'info', text: `status ${String(r.status)}${r.error ? `: ${String(r.error)}` : ''}` };
      break;
    case 'start':
      p = { type: 'mark', step: r.step, level: 'info', text: `${r.resumed ? 'resumed' : 'started'}${r.backend ? ` on ${String(r.backend)}` : ''}: ${String(r.trainExamples)} training examples, ${String(r.totalSteps)} steps` };
      break;
    case 'earlyStop':
      p = { type: 'mark', step: r.step, level: 'info', text: 'early stopping' };
      break;
    default:
      return undefined;
  }
  return isMetricPoint(p) ? p : undefined;
}

export function toPoints(records: MetricsRecord[]): MetricPoint[] {
  return records.map(toPoint).filter((p): p is MetricPoint => !!p);
}

/** At most `max` progress points (evenly thinned, the last one kept); other points are all kept. */
export function thinProgress(points: MetricPoint[], max = 5_000): MetricPoint[] {
  const progress = points.filter((p) => p.type === 'progress').length;
  if (progress <= max) return points;
  const every = Math.ceil(progress / max);
  let i = 0;
  return points.filter((p) => p.type !== 'progress' || i++ % every === 0 || i === progress);
}
