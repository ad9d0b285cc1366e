// The selected case below the table: its text, the three predictions with every probability, and the
// per-layer angular distance and MSE of both students in two charts (the set's means dashed behind)
// and a table.
import { mean, type CaseSet, type DerivedCase } from './caseModel';
import { formatValue, labelName, predictionText } from './format';
import { drawLayerChart, layerCategories, studentColors, type LayerSeries } from './layerChart';
import { el } from './pageTools';
import type { CasesFileView, Num, PredictionView } from './protocol';

export interface LayerMeans {
  lrc: { angular: Num[]; mse: Num[] };
  mse: { angular: Num[]; mse: Num[] };
}

/** Each student's mean per mapped layer over the set (the dashed lines). */
export function perLayerMeans(s: CaseSet): LayerMeans {
  const columnMeans = (pick: (c: DerivedCase) => Num[] | undefined) => {
    const lists = s.cases.map(pick).filter((v): v is Num[] => !!v);
    const n = Math.max(0, ...lists.map((l) => l.length));
    return Array.from({ length: n }, (_, k) => mean(lists.map((l) => l[k] ?? null).filter((v) => v !== null)));
  };
  return {
    lrc: { angular: columnMeans((c) => c.record.lrc?.angular), mse: columnMeans((c) => c.record.lrc?.mse) },
    mse: { angular: columnMeans((c) => c.record.mse?.angular), mse: columnMeans((c) => c.record.mse?.mse) },
  };
}

/** Fills `box` with the case; without a case, with a hint. */
export function renderCaseDetail(box: HTMLElement, c: DerivedCase | undefined, file: CasesFileView | undefined, means: LayerMeans | undefined): void {
  if (!c || !file || !means) {
    box.replaceChildren(el('p', { className: 'muted', text: 'Select a row to see the per-layer distances of both students.' }));
    return;
  }
  const r = c.record;
  const labels = file.labelNames;
  const colors = studentColors();
  const count = Math.max(r.lrc?.angular.length ?? 0, r.mse?.angular.length ?? 0);
  const categories = layerCategories(file.mapping.lrc ?? file.mapping.mse, count);
  const series = (kind: 'angular' | 'mse'): LayerSeries[] => [
    ...(r.lrc ? [{ label: 'LRC', color: colors.lrc, values: r.lrc[kind] }, { label: 'LRC, mean of the set', color: colors.lrc, values: means.lrc[kind], dashed: true }] : []),
    ...(r.mse ? [{ label: 'MSE', color: colors.mse, values: r.mse[kind] }, { label: 'MSE, mean of the set', color: colors.mse, values: means.mse[kind], dashed: true }] : []),
  ];
  const angularCanvas = el('canvas', { id: 'chart-angular', role: 'img', 'aria-label': 'Angular distance per mapped layer' });
  const mseCanvas = el('canvas', { id: 'chart-mse', role: 'img', 'aria-label': 'MSE per mapped layer' });
  const probs = (name: string, p: PredictionView | undefined) => p && el('tr', {},
    el('th', { scope: 'row', text: name }),
    el('td', { text: predictionText(p, labels) }),
    el('td', { className: 'muted', text: p.probabilities ? p.probabilities.map((v, k) => `${labelName(labels, k)} ${formatValue(v, 3)}`).join(' · ') : '' }));
  const layerRows = categories.map((cat, k) => el('tr', {},
    el('th', { scope: 'row', text: cat }),
    ...[r.lrc?.angular[k], r.lrc?.mse[k], r.mse?.angular[k], r.mse?.mse[k]].map((v) => el('td', { className: 'num', text: formatValue(v ?? null, 4) }))));
  box.replaceChildren(
    el('h2', { text: `Case ${r.id}` }),
    el('p', { className: 'case-text', text: r.text }),
    ...(r.textPair !== undefined ? [el('p', { className: 'case-text muted', text: r.textPair })] : []),
    el('table', { className: 'mini' },
      el('tr', {}, el('th', { scope: 'row', text: 'Gold' }), el('td', { text: labelName(labels, r.label) }), el('td')),
      probs('Teacher', r.teacher), probs('LRC', r.lrc), probs('MSE', r.mse)),
    el('div', { className: 'charts' }, angularCanvas, mseCanvas),
    el('table', { id: 'layer-table', className: 'mini' },
      el('tr', {}, el('th', { text: 'Mapped layer' }), el('th', { text: 'LRC ∠' }), el('th', { text: 'LRC MSE' }), el('th', { text: 'MSE ∠' }), el('th', { text: 'MSE MSE' })),
      ...layerRows),
  );
  const width = Math.max(260, Math.min(520, Math.floor((box.clientWidth - 24) / 2)));
  drawLayerChart(angularCanvas, { title: 'Angular distance to the teacher, per mapped layer', categories, series: series('angular') }, width);
  drawLayerChart(mseCanvas, { title: 'MSE to the teacher, per mapped layer', categories, series: series('mse') }, width);
}
