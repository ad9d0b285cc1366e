// The general runs table of a sweep report as text, in the style of ./render.ts: markdown (one row per
// general run: shape, teacher, corpus, steps, the exported student's evaluation on the held-out passages,
// the cells that start from it) and CSV (the same at full precision, every metric of the evaluation a column).
import { csv, fixed, line, rule, value } from './tableText';
import type { GeneralRow, StudentShape } from './generalTypes';
import type { SweepReport } from './types';

const shapeText = (s: StudentShape | null) => (s ? `${s.layers} x ${s.hidden}, ${s.heads} heads, FFN ${s.intermediate}` : '-');
/** The last part of a path (a teacher folder, a corpus file); a run id stays as it is. */
const baseName = (p: string) => p.split(/[\\/]/).filter(Boolean).pop() ?? p;
const corpusText = (g: GeneralRow) => (g.corpus.length ? `${g.corpus.map(baseName).join(', ')}${g.corpusText ? ` (${g.corpusText})` : ''}` : '-');
const stepsText = (g: GeneralRow) => `${Number.isFinite(g.step) ? g.step : '-'} / ${Number.isFinite(g.totalSteps) ? g.totalSteps : '-'}`;
const levels = (cell: Record<string, string>, axes: string[]) => axes.filter((a) => cell[a] !== undefined).map((a) => cell[a]).join(' ');

const LAYER_METRIC = /^angular_distance_s(\d+)_t(\d+)$/;

/** "s1→t2 0.4565, s2→t4 0.4865": the angular distance of each mapped layer (student layer → teacher layer). */
function perLayerText(metrics: Record<string, number>): string {
  const layers = Object.entries(metrics).flatMap(([name, v]) => { const m = LAYER_METRIC.exec(name); return m ? [{ s: Number(m[1]), t: Number(m[2]), v }] : []; });
  return layers.sort((x, y) => x.s - y.s).map((l) => `s${l.s}→t${l.t} ${value(l.v)}`).join(', ') || '-';
}

function startsText(g: GeneralRow, axes: string[]): string {
  const others = axes.filter((a) => g.cell[a] === undefined);
  return g.startedRuns ? `${g.startedCells.map((c) => levels(c, others)).join(', ')} (${g.startedRuns} runs)` : '-';
}

/** The axes a general run is per (its `per` axes), in axis order. */
const perAxes = (report: SweepReport) => report.axes.map((a) => a.name).filter((a) => report.generals.some((g) => g.cell[a] !== undefined));

export function generalsMarkdown(report: SweepReport): string[] {
  const axes = report.axes.map((a) => a.name);
  const per = perAxes(report);
  return ['### General runs (distillation on a corpus; the exported student on the corpus\'s held-out passages: cosine = the mapped layers\' mean cosine with the teacher, COS-NCE its loss, the angular distance of each mapped layer)', '',
    line(['general run', ...per, 'status', 'student', 'teacher', 'corpus', 'steps', 'metric', 'value', 'best step', 'COS-NCE', 'angular distance per mapped layer', 'at the last evaluation', 'train time', 'students of']),
    rule('l'.repeat(per.length + 5) + 'rlrrrlrrl'),
    ...report.generals.map((g) => line([g.runId, ...per.map((a) => g.cell[a] ?? '-'), g.status, shapeText(g.student), g.teacher ? baseName(g.teacher) : '-', corpusText(g), stepsText(g),
      g.primary ?? '-', value(g.value), fixed(g.bestStep, 0), value(g.metrics.cos_nce ?? NaN), perLayerText(g.metrics), value(g.last), fixed(g.trainSeconds / 60, 1, ' min'), startsText(g, axes)]))];
}

/** Every general run, one row each; every metric of the evaluations as columns (empty where a run has none). */
export function generalsCsv(report: SweepReport): string {
  const axes = report.axes.map((a) => a.name);
  const metrics = [...new Set(report.generals.flatMap((g) => Object.keys(g.metrics)))];
  return csv([['run', ...axes, 'status', 'layers', 'hidden', 'heads', 'intermediate', 'teacher', 'corpus', 'corpus_text', 'step', 'total_steps', 'metric', 'value', 'best_step', 'last', ...metrics, 'train_seconds', 'started_cells', 'started_runs'],
    ...report.generals.map((g) => [g.runId, ...axes.map((a) => g.cell[a] ?? null), g.status, g.student?.layers ?? null, g.student?.hidden ?? null, g.student?.heads ?? null, g.student?.intermediate ?? null,
      g.teacher, g.corpus.join('; '), g.corpusText, g.step, g.totalSteps, g.primary, g.value, g.bestStep, g.last, ...metrics.map((m) => g.metrics[m] ?? null), g.trainSeconds,
      g.startedCells.map((c) => levels(c, axes)).join('; '), g.startedRuns])]);
}
