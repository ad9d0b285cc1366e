// The sweep panel's "Which student to ship" section: per task, the score against serving cost chart
// (frontChart.ts) with the x axis the user picks (latency or speed-up), the recommendation and its
// reason, the Export recommended student button, and the cells table with the report's numbers. Where
// nothing was measured it says so and names the command that measures.
import { button, setDisabled } from '../shared/toolkit';
import { el } from './dom';
import { meanSd, value } from './format';
import { frontChart } from './frontChart';
import { canPlot, seriesOf, type XAxis } from './frontData';
import type { FrontCellView, Num, SummaryView, SweepAction, SweepView, TaskFrontView } from './protocol';

export interface FrontSectionOptions {
  axis: XAxis;
  width: number;
  setAxis: (axis: XAxis) => void;
  send: (action: SweepAction) => void;
}

// The numbers as the cells table writes them: ms with 2 decimals, speed-up with 2, sizes in kB or MB.
const msText = (s: SummaryView): string => (s.mean === null ? '-' : s.sd !== null ? `${s.mean.toFixed(2)} ± ${s.sd.toFixed(2)}` : s.mean.toFixed(2));
const speedUpText = (s: SummaryView): string => (s.mean === null ? '-' : `${s.sd !== null ? `${s.mean.toFixed(2)} ± ${s.sd.toFixed(2)}` : s.mean.toFixed(2)}×`);
const sizeText = (bytes: Num): string => (bytes === null ? '-' : bytes < 1e6 ? `${(bytes / 1e3).toFixed(1)} kB` : `${(bytes / 1e6).toFixed(1)} MB`);
const countText = (n: Num): string => (n === null ? '-' : n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} k` : String(n));

const measureCommand = (s: SweepView): string => `lrc-distill sweep measure ${s.id}`;

function axisToggle(o: FrontSectionOptions, speedUpPossible: boolean): HTMLElement {
  const group = el('div', { className: 'front-toggle', role: 'radiogroup', 'aria-label': 'x axis of the charts', id: 'front-axis' }, el('span', { className: 'muted', text: 'x axis: ' }));
  const options: [XAxis, string, string][] = [
    ['latency', 'latency (ms)', 'median latency of one example at batch 1'],
    ['speedUp', 'speed-up over the teacher', 'the teacher\'s median latency / the student\'s, measured on this machine'],
  ];
  for (const [axis, label, title] of options) {
    const b = button(label, () => o.setAxis(axis), o.axis === axis ? 'primary' : 'secondary');
    b.id = `front-axis-${axis}`;
    b.title = axis === 'speedUp' && !speedUpPossible ? 'no teacher latency measured' : title;
    b.setAttribute('role', 'radio');
    b.setAttribute('aria-checked', String(o.axis === axis));
    if (axis === 'speedUp' && !speedUpPossible) setDisabled(b, true);
    group.append(b);
  }
  return group;
}

function cellsTable(t: TaskFrontView, ti: number): HTMLElement {
  const metric = t.primary ?? 'metric';
  const head = ['cell', 'seeds', `${metric} mean ± sd`, 'latency ms (median, batch 1)', 'p95 ms', 'speed-up', 'parameters', 'size f32', 'size f16', 'front'];
  const table = el('table', { className: 'data front-table', id: `front-table-${ti}` });
  table.append(el('thead', {}, el('tr', {}, ...head.map((h, i) => el('th', { className: i > 0 && i < 9 ? 'num' : undefined, text: h })))));
  const body = el('tbody');
  const { series } = seriesOf(t);
  t.cells.forEach((c: FrontCellView, ci) => {
    const mark = c.recommended ? '★ recommended' : c.onFront ? '✓' : '';
    const cell = el('td', {}, el('span', { className: `front-swatch series-${series[ci] % 6}` }), c.label);
    body.append(el('tr', { 'data-cell': c.label, className: c.recommended ? 'recommended' : c.onFront ? 'on-front' : undefined, title: c.notes.length ? c.notes.join('\n') : undefined },
      cell, el('td', { className: 'num', text: String(c.score.n) }), el('td', { className: 'num', text: meanSd(c.score) }),
      el('td', { className: 'num', text: msText(c.latencyMs) }), el('td', { className: 'num', text: msText({ ...c.p95Ms, sd: null }) }),
      el('td', { className: 'num', text: speedUpText(c.speedUp) }), el('td', { className: 'num', text: countText(c.parameters) }),
      el('td', { className: 'num', text: sizeText(c.sizeF32Bytes) }), el('td', { className: 'num', text: sizeText(c.sizeF16Bytes) }), el('td', { text: mark })));
  });
  if (t.teacher) {
    const th = t.teacher;
    body.append(el('tr', { className: 'teacher-row', 'data-cell': 'teacher' }, el('td', { text: 'teacher' }), el('td', { className: 'num', text: '1' }),
      el('td', { className: 'num', text: value(th.score) }), el('td', { className: 'num', text: th.latencyMs === null ? '-' : th.latencyMs.toFixed(2) }),
      el('td', { className: 'num', text: th.p95Ms === null ? '-' : th.p95Ms.toFixed(2) }), el('td', { className: 'num', text: th.latencyMs === null ? '-' : '1.00×' }),
      el('td', { className: 'num', text: countText(th.parameters) }), el('td', {}), el('td', {}), el('td', {})));
  }
  table.append(body);
  return el('div', { className: 'table-scroll' }, table);
}

function taskCard(s: SweepView, t: TaskFrontView, ti: number, o: FrontSectionOptions): HTMLElement {
  const title = el('h3', { text: `${t.task ? `${t.task} · ` : ''}${t.primary ?? 'metric'} against serving cost` });
  const card = el('div', { className: 'front-task', id: `front-task-${ti}`, 'data-task': t.task }, title);
  if (!t.measured) {
    card.append(el('p', { className: 'front-missing' }, 'No latency measured: run ', el('code', { text: measureCommand(s) }), ' to measure every export.'));
  } else if (!canPlot(t, o.axis)) {
    card.append(el('p', { className: 'front-missing', text: 'No teacher latency measured: the speed-up needs it. Switch to latency, or measure the teacher.' }));
  } else {
    const { legend } = seriesOf(t);
    const key = legend.length
      ? el('p', { className: 'front-legend muted' }, ...legend.flatMap((name, i) => [el('span', { className: `front-swatch series-${i % 6}` }), el('span', { className: 'front-legend-item', text: name })]))
      : undefined;
    if (key) card.append(key);
    card.append(el('div', { className: 'front-plot' }, frontChart(t, o.axis, o.width, (runId) => o.send({ type: 'openRun', runId }))));
  }
  const rec = t.recommended !== null ? t.cells[t.recommended] : undefined;
  const verdict = el('p', { className: 'front-reason', id: `front-reason-${ti}` },
    rec ? el('b', { text: `Recommended: ${rec.label}. ` }) : el('b', { text: 'No recommendation. ' }), t.reason,
    t.fallback ? el('span', { className: 'muted', text: ' (no cell met the rule: its fallback)' }) : undefined);
  const exportButton = button('Export recommended student', () => o.send({ type: 'exportRecommended', task: t.task }), rec ? 'primary' : 'secondary');
  exportButton.id = `btn-export-recommended-${ti}`;
  exportButton.title = rec ? `write ${rec.label}'s model as a Hugging Face folder (f32 or f16) where you choose` : 'no cell to recommend yet';
  if (!rec) setDisabled(exportButton, true);
  card.append(verdict, el('div', { className: 'controls' }, exportButton), cellsTable(t, ti));
  // The report's own caveats: measured beside other work, across processes or backends, cells left out.
  if (t.notes.length) card.append(el('ul', { className: 'front-notes muted' }, ...t.notes.map((n) => el('li', { text: n }))));
  return card;
}

export function frontSection(s: SweepView, o: FrontSectionOptions): HTMLElement {
  const section = el('section', { id: 'front' }, el('h2', { text: 'Which student to ship: score against serving cost' }));
  const front = s.front;
  // Nothing measured anywhere (runs still training, or an adopted sweep): one line, not tables of dashes.
  if (!front || !front.tasks.some((t) => t.measured)) {
    section.append(el('p', { className: 'front-missing', id: 'front-missing' }, 'No latency measured yet: each run measures its export when it ends, and ',
      el('code', { text: measureCommand(s) }), ' measures every export of the sweep.'));
    return section;
  }
  section.append(
    el('p', { className: 'muted', text: `A dot per seed (click or Enter for its dashboard), a diamond per cell at its means with ± one sd, the teacher dashed, the Pareto front as a step line; recommendation rule ${front.rule}.` }),
    axisToggle(o, front.tasks.some((t) => canPlot(t, 'speedUp'))),
    ...front.tasks.map((t, ti) => taskCard(s, t, ti, o)),
  );
  return section;
}
