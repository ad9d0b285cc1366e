// "Analyze Selection" (browser side): the text the user selected, run through the teacher, the LRC
// student and its MSE baseline: the three predictions with their probabilities and the per-layer
// distances of both students, newest first; the last few stay after a reload.
import { ReadyNotification } from '../shared/protocol';
import { connect } from '../shared/vscodeApi';
import { progressRing } from '../shared/toolkit';
import { formatValue, labelName, predictionText } from '../cases/format';
import { drawLayerChart, layerCategories, studentColors } from '../cases/layerChart';
import { el, onThemeChange, runProbe } from '../cases/pageTools';
import type { PredictionView } from '../cases/protocol';
import {
  DidAnalyzeNotification,
  DidFailNotification,
  DidStartNotification,
  MAX_HISTORY,
  SelectionProbe,
  isSelectionState,
  type SelectionAnalysis,
  type SelectionState,
} from './protocol';

const host = connect<SelectionState>();
const root = document.getElementById('selection-root')!;
const saved = host.getState();
let history: SelectionAnalysis[] = isSelectionState(saved) ? saved.history : [];
let busy: { runName: string; text: string } | undefined;
let error: string | undefined;

const status = el('div', { id: 'status', className: 'status', 'aria-live': 'polite' });
const list = el('div', { id: 'analyses' });
root.replaceChildren(el('h1', { text: 'Analyze Selection' }), el('p', { className: 'muted', text: 'The selected text (a tab between two texts makes a pair) through the teacher, the LRC student and its MSE baseline.' }), status, list);
onThemeChange(() => render());
let lastWidth = 0;
new ResizeObserver(() => {
  // only a new width changes the charts; a new height is the page growing
  if (Math.abs(root.clientWidth - lastWidth) < 2) return;
  lastWidth = root.clientWidth;
  render();
}).observe(root);

function predictionRow(name: string, p: PredictionView | undefined, labels: readonly string[], teacher?: PredictionView): HTMLElement | undefined {
  if (!p) return undefined;
  const agrees = teacher && p.prediction === teacher.prediction;
  const probs = p.probabilities ?? [];
  return el('tr', {},
    el('th', { scope: 'row', text: name }),
    el('td', { className: 'prediction', text: predictionText(p, labels) }),
    el('td', {}, ...probs.map((v, k) => {
      const bar = el('span', { className: 'prob-bar' });
      bar.style.width = `${Math.round(Math.max(0, Math.min(1, v ?? 0)) * 100)}%`;
      return el('div', { className: 'prob' }, el('span', { className: 'prob-label', text: `${labelName(labels, k)} ${formatValue(v, 3)}` }), el('span', { className: 'prob-track' }, bar));
    })),
    el('td', { className: 'muted', text: teacher ? (agrees ? 'agrees with the teacher' : 'differs from the teacher') : '' }));
}

function card(a: SelectionAnalysis, index: number): HTMLElement {
  const labels = a.labelNames;
  const count = Math.max(a.lrc?.angular.length ?? 0, a.mse?.angular.length ?? 0);
  const categories = layerCategories(a.mapping, count);
  const colors = studentColors();
  const angular = el('canvas', { className: 'chart-angular', role: 'img', 'aria-label': 'Angular distance per mapped layer' });
  const mse = el('canvas', { className: 'chart-mse', role: 'img', 'aria-label': 'MSE per mapped layer' });
  const section = el('section', { className: 'analysis', 'data-index': index },
    el('h2', { text: index === 0 ? 'Latest' : `Earlier (${new Date(a.at).toLocaleTimeString()})` }),
    el('p', { className: 'muted', text: `Run ${a.runName}${a.source ? ` · from ${a.source}` : ''}` }),
    el('p', { className: 'case-text', text: a.text }),
    a.textPair !== undefined && el('p', { className: 'case-text muted', text: a.textPair }),
    el('table', { className: 'mini predictions' },
      predictionRow('Teacher', a.teacher, labels),
      predictionRow('LRC student', a.lrc, labels, a.teacher),
      predictionRow('MSE baseline', a.mse, labels, a.teacher)),
    count > 0 && el('div', { className: 'charts' }, angular, mse),
    count > 0 && el('table', { className: 'mini layer-table' },
      el('tr', {}, el('th', { text: 'Mapped layer' }), el('th', { text: 'LRC ∠' }), el('th', { text: 'LRC MSE' }), el('th', { text: 'MSE ∠' }), el('th', { text: 'MSE MSE' })),
      ...categories.map((c, k) => el('tr', {}, el('th', { scope: 'row', text: c }),
        ...[a.lrc?.angular[k], a.lrc?.mse[k], a.mse?.angular[k], a.mse?.mse[k]].map((v) => el('td', { className: 'num', text: formatValue(v ?? null, 4) }))))),
  );
  if (count > 0) {
    requestAnimationFrame(() => {
      const width = Math.max(240, Math.min(480, Math.floor((section.clientWidth - 16) / 2)));
      const series = (kind: 'angular' | 'mse') => [
        ...(a.lrc ? [{ label: 'LRC', color: colors.lrc, values: a.lrc[kind] }] : []),
        ...(a.mse ? [{ label: 'MSE', color: colors.mse, values: a.mse[kind] }] : []),
      ];
      drawLayerChart(angular, { title: 'Angular distance to the teacher', categories, series: series('angular') }, width, 170);
      drawLayerChart(mse, { title: 'MSE to the teacher', categories, series: series('mse') }, width, 170);
    });
  }
  return section;
}

function render(): void {
  status.replaceChildren();
  status.className = 'status';
  if (busy) status.append(progressRing(), el('span', { text: ` ${busy.runName}: the trainer is analysing “${busy.text.slice(0, 80)}${busy.text.length > 80 ? '…' : ''}”` }));
  else if (error) {
    status.className = 'status error';
    status.textContent = error;
  } else if (history.length === 0) status.append(el('span', { className: 'muted', text: 'Nothing analysed yet: select a text in an editor and run "LRC: Analyze Selection".' }));
  list.replaceChildren(...history.map(card));
}

function snapshot(): Record<string, unknown> {
  return { busy: !!busy, error, history };
}

host.onMessage((msg) => {
  if (DidStartNotification.is(msg)) {
    busy = msg.params;
    error = undefined;
  } else if (DidAnalyzeNotification.is(msg)) {
    busy = undefined;
    error = undefined;
    history = [msg.params, ...history].slice(0, MAX_HISTORY);
    host.setState({ history });
  } else if (DidFailNotification.is(msg)) {
    busy = undefined;
    error = msg.params.message;
  } else if (SelectionProbe.request.is(msg)) {
    void runProbe(root, msg.params, () => new Promise((r) => requestAnimationFrame(() => r())), snapshot).then((result) => host.post(SelectionProbe.result.create(result)));
    return;
  } else {
    console.warn('selection: ignored a message that fits no declared type', msg);
    return;
  }
  render();
});

render();
host.post(ReadyNotification.create({}));
