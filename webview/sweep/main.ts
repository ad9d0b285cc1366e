// The sweep panel (browser side): where the sweep's runs stand, which student to ship (the score
// against serving cost per task: frontSection.ts), the paired comparisons seed by seed, the spread of
// each cell over its seeds and the cells table, rendered again from each message the host sends. The sweep id comes from the host (data-sweep-id) or, after a reload, from the saved state.
import { ReadyNotification } from '../shared/protocol';
import { onThemeChange, themeKind } from '../shared/theme';
import { button, tag } from '../shared/toolkit';
import { connect } from '../shared/vscodeApi';
import { el } from './dom';
import { cellLabel, meanSd, percent, points, pValue, value } from './format';
import type { XAxis } from './frontData';
import { frontSection } from './frontSection';
import {
  DidActionNotification,
  DidChangeSweepNotification,
  DidLoadSweepNotification,
  SWEEP_STATES,
  SweepActionNotification,
  isSweepPanelState,
  type CellView,
  type ComparisonGroupView,
  type ComparisonView,
  type SweepAction,
  type SweepMemberView,
  type SweepPanelState,
  type SweepView,
} from './protocol';
import { stripPlot, type StripGroup } from './stripPlot';

const host = connect<SweepPanelState>();
const root = document.getElementById('sweep-root')!;
const saved = host.getState();
const sweepId = root.dataset.sweepId ?? (isSweepPanelState(saved) ? saved.sweepId : '');
host.setState({ sweepId, ...(isSweepPanelState(saved) && saved.frontAxis ? { frontAxis: saved.frontAxis } : {}) });

let current: SweepView | undefined;
let feedback: { ok: boolean; message: string } | undefined;
/** The x axis of the front charts, latency or speed-up: the user's toggle. */
let frontAxis: XAxis = isSweepPanelState(saved) && saved.frontAxis === 'speedUp' ? 'speedUp' : 'latency';
const openSections = new Map<string, boolean>();

const send = (action: SweepAction) => host.post(SweepActionNotification.create({ sweepId, action }));

const STATE_ICONS: Record<string, string> = { finished: '✓', running: '●', pending: '◷', waiting: '…', failed: '✕' };

// ---- header: name, facts, counts, buttons ------------------------------------------------------

function header(s: SweepView): HTMLElement {
  const status = s.live ? 'live' : s.done ? 'done' : s.cancelledAt ? 'cancelled' : 'stopped';
  const total = s.members.length;
  const bar = el('div', { className: 'state-bar', id: 'state-bar', role: 'img', 'aria-label': SWEEP_STATES.map((st) => `${s.counts[st]} ${st}`).join(', ') });
  for (const st of SWEEP_STATES) {
    if (!s.counts[st]) continue;
    const seg = el('span', { className: `state-seg state-${st}`, title: `${s.counts[st]} ${st}` });
    seg.style.flexGrow = String(s.counts[st]);
    bar.append(seg);
  }
  const counts = el('div', { className: 'state-counts', id: 'sweep-counts' });
  for (const st of SWEEP_STATES) {
    counts.append(el('span', { className: `state-count state-${st}${s.counts[st] ? '' : ' zero'}`, 'data-state': st },
      el('span', { className: 'state-swatch' }), el('b', { text: String(s.counts[st]) }), ` ${st}`));
  }
  counts.append(el('span', { className: 'muted', text: `of ${total}` }));

  const buttons = el('div', { className: 'controls', id: 'sweep-controls' });
  const cancel = button('Cancel sweep', () => send({ type: 'cancel' }), 'secondary');
  cancel.id = 'btn-cancel';
  const resume = button('Resume sweep', () => send({ type: 'resume' }));
  resume.id = 'btn-resume';
  const report = button('Open report', () => send({ type: 'openReport' }), s.live ? 'secondary' : 'primary');
  report.id = 'btn-report';
  const output = button('Show output', () => send({ type: 'showOutput' }), 'secondary');
  output.id = 'btn-output';
  if (s.live) buttons.append(cancel);
  else if (!s.done) buttons.append(resume);
  buttons.append(report, output);

  const file = el('a', { href: '#', id: 'sweep-file', text: s.file.split(/[\\/]/).pop() ?? s.file, title: s.file });
  file.addEventListener('click', (e) => {
    e.preventDefault();
    send({ type: 'openFile' });
  });
  const executor = s.executor === 'local' ? `local pool${s.workers ? ` of ${s.workers}` : ''}` : 'Slurm';
  const facts = el('p', { className: 'muted facts-line' },
    `${executor} · made ${new Date(s.createdAt).toLocaleString()} from `, file, ` · id ${s.id}`,
    s.cancelledAt ? ` · cancelled ${new Date(s.cancelledAt).toLocaleString()}` : undefined,
    s.scheduler ? ` · ${s.scheduler}` : undefined);
  const title = el('h1', { id: 'sweep-title' }, `Sweep ${s.name} `, tag(status));
  const note = feedback ? el('p', { id: 'sweep-feedback', className: feedback.ok ? 'muted' : 'error', text: feedback.message }) : el('p', { id: 'sweep-feedback', className: 'muted' });
  const failed = s.members.filter((m) => m.state === 'failed');
  const problems = failed.length
    ? el('ul', { className: 'problems', id: 'sweep-problems' }, ...failed.slice(0, 8).map((m) => el('li', {}, el('b', { text: m.name }), `: ${m.detail}`)),
      failed.length > 8 ? el('li', { className: 'muted', text: `and ${failed.length - 8} more (see Runs below)` }) : undefined)
    : undefined;
  return el('header', { className: 'sweep-header' }, title, facts, bar, counts, buttons, note, problems);
}

// ---- comparisons -------------------------------------------------------------------------------

function comparisonCard(c: ComparisonView, g: ComparisonGroupView, index: string): HTMLElement {
  const diff = `${c.a} − ${c.b}`;
  const table = el('table', { className: 'data comparison-table' });
  table.append(el('thead', {}, el('tr', {}, el('th', { text: 'seed' }), el('th', { className: 'num', text: c.a }), el('th', { className: 'num', text: c.b }), el('th', { className: 'num', text: diff }))));
  const body = el('tbody');
  for (const s of g.seeds) {
    const sign = s.difference === null ? '' : s.difference > 0 ? ' ahead' : s.difference < 0 ? ' behind' : '';
    // A seed whose runs have not finished yet is pending, not dropped.
    const notYet = s.dropped !== null && s.dropped.split('; ').every((r) => / run (queued|running|paused)$/.test(r));
    const title = s.dropped ? `${notYet ? 'not finished yet' : 'dropped'}: ${s.dropped}` : `at the last evaluation: ${points(s.lastDifference)}`;
    const row = el('tr', { className: s.dropped ? (notYet ? 'not-yet' : 'dropped') : undefined, 'data-seed': String(s.seed), title },
      el('td', { text: String(s.seed) }), el('td', { className: 'num', text: value(s.a) }), el('td', { className: 'num', text: value(s.b) }),
      el('td', { className: `num diff${sign}`, text: s.dropped ? (notYet ? 'not yet' : 'dropped') : points(s.difference) }));
    body.append(row);
  }
  const foot = el('tfoot', {}, el('tr', { className: 'summary-row' }, el('th', { text: `mean ± sd (${g.difference.n})` }),
    el('td', { className: 'num', text: meanSd(g.a) }), el('td', { className: 'num', text: meanSd(g.b) }),
    el('td', { className: `num diff strong${g.difference.mean !== null && g.difference.mean > 0 ? ' ahead' : g.difference.mean !== null && g.difference.mean < 0 ? ' behind' : ''}`, text: g.difference.n ? `${meanSd(g.difference, 2)} pt` : '-' })));
  table.append(body, foot);
  const dropped = g.seeds.filter((s) => s.dropped && !s.dropped.split('; ').every((r) => / run (queued|running|paused)$/.test(r)));
  const droppedNotes = dropped.length
    ? el('ul', { className: 'dropped-notes muted' }, ...dropped.map((s) => el('li', { text: `seed ${s.seed} dropped: ${s.dropped}` })))
    : undefined;
  const verdict = el('p', { className: 'verdict' },
    el('span', { className: 'ahead-count', text: `${c.a} ahead on ${g.aAhead} of ${g.difference.n}` }),
    g.ties ? el('span', { className: 'muted', text: ` (${g.ties} tie${g.ties > 1 ? 's' : ''})` }) : undefined,
    ' · ', el('span', { className: 'sign-p', text: `sign test p = ${pValue(g.p)}` }));
  const atLast = g.lastDifference.n
    ? el('p', { className: 'muted at-last', text: `at the last evaluation: ${meanSd(g.lastDifference, 2)} pt` })
    : undefined;
  const title = `${cellLabel(g.cell)}${g.primary ? ` · ${g.primary}` : ''}`;
  return el('div', { className: 'card comparison-group', 'data-comparison': c.name, 'data-group': cellLabel(g.cell), id: `cmp-${index}` }, el('h4', { text: title }), table, verdict, atLast, droppedNotes);
}

function comparisons(s: SweepView): HTMLElement | undefined {
  if (!s.comparisons.length) return undefined;
  const section = el('section', { id: 'comparisons' }, el('h2', { text: 'Comparisons, paired by seed' }),
    el('p', { className: 'muted', text: 'Primary metric of each exported model; differences in points (100 × (a − b)); seeds that did not finish on both sides are dropped and say why.' }));
  s.comparisons.forEach((c, ci) => {
    const cards = el('div', { className: 'cards' }, ...c.groups.map((g, gi) => comparisonCard(c, g, `${ci}-${gi}`)));
    section.append(el('h3', { text: `${c.name} (${c.axis})` }), c.groups.length ? cards : el('p', { className: 'muted', text: `No runs of ${c.a} or ${c.b} yet.` }));
  });
  return section;
}

// ---- cells: the strip plots and the table ------------------------------------------------------

/** One plot per level of the first axis (each task its own scale), the other axes as its rows. */
function stripGroups(s: SweepView): StripGroup[] {
  const [first, ...rest] = s.axes;
  const groups = new Map<string, CellView[]>();
  for (const c of s.cells) {
    const key = first && rest.length ? `${first.name} ${c.cell[first.name]}` : 'all cells';
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  return [...groups.entries()].map(([title, cells]) => {
    const teachers = [...new Set(cells.map((c) => c.teacherValue).filter((v): v is number => v !== null))];
    const rowAxes = first && rest.length ? rest.map((a) => a.name) : s.axes.map((a) => a.name);
    return {
      title,
      metric: cells.find((c) => c.primary)?.primary ?? 'metric',
      teacher: teachers.length === 1 ? teachers[0] : null,
      rows: cells.map((c) => ({
        label: rowAxes.map((a) => c.cell[a]).join(' · ') || 'all',
        seeds: c.seeds.filter((x) => x.value !== null).map((x) => ({ seed: x.seed, runId: x.runId, value: x.value! })),
        mean: c.value.mean,
        sd: c.value.sd,
        n: c.value.n,
        note: c.finished < c.runs ? `${c.finished} of ${c.runs} finished` : undefined,
      })),
    };
  });
}

function cellsSection(s: SweepView): HTMLElement {
  const section = el('section', { id: 'cells' }, el('h2', { text: 'Cells: spread over the seeds' }),
    el('p', { className: 'muted', text: 'A dot per finished seed (hover for its run, click for its dashboard), the mean with ± one sample sd, the teacher dashed.' }));
  const plots = el('div', { className: 'plots', id: 'strip-plots' });
  const width = Math.max(420, Math.min(1100, root.clientWidth - 8));
  for (const g of stripGroups(s)) {
    plots.append(el('div', { className: 'plot', 'data-group': g.title }, el('h4', { text: `${g.title} · ${g.metric}` }), stripPlot(g, width, (runId) => send({ type: 'openRun', runId }))));
  }
  if (!s.cells.length) plots.append(el('p', { className: 'muted', text: 'No cell has a run yet.' }));
  const axes = s.axes.map((a) => a.name);
  const table = el('table', { className: 'data', id: 'cells-table' });
  table.append(el('thead', {}, el('tr', {}, ...axes.map((a) => el('th', { text: a })), el('th', { text: 'metric' }), el('th', { className: 'num', text: 'finished' }),
    el('th', { text: 'per seed' }), el('th', { className: 'num', text: 'mean ± sd' }), el('th', { className: 'num', text: 'at last eval', title: 'mean ± sd at the last evaluation of each run' }),
    el('th', { className: 'num', text: 'teacher' }), el('th', { className: 'num', text: 'kept', title: 'kept of teacher: mean / teacher' }), el('th', { className: 'num', text: 'teacher − mean' }))));
  const body = el('tbody');
  for (const c of s.cells) {
    const perSeed = el('td', { className: 'per-seed' });
    c.seeds.forEach((x, i) => {
      const link = el('a', { href: '#', text: `${x.seed}: ${value(x.value)}`, title: `run ${x.runId} (${x.status})`, className: x.value === null ? 'muted' : undefined });
      link.addEventListener('click', (e) => {
        e.preventDefault();
        send({ type: 'openRun', runId: x.runId });
      });
      perSeed.append(...(i ? [', ', link] : [link]));
    });
    const notes = [...(c.missingSeeds.length ? [`no run of seed ${c.missingSeeds.join(', ')}`] : []), ...c.notes];
    body.append(el('tr', { 'data-cell': cellLabel(c.cell), title: notes.length ? notes.join('\n') : undefined },
      ...axes.map((a) => el('td', { text: c.cell[a] ?? '-' })), el('td', { text: c.primary ?? '-' }), el('td', { className: 'num', text: `${c.finished} of ${c.runs}` }),
      perSeed, el('td', { className: 'num mean-sd', text: meanSd(c.value) }), el('td', { className: 'num', text: meanSd(c.last) }),
      el('td', { className: 'num', text: value(c.teacherValue) }), el('td', { className: 'num', text: percent(c.keptOfTeacher) }), el('td', { className: 'num', text: points(c.teacherLead) })));
  }
  table.append(body);
  section.append(plots, el('h3', { text: 'Cells table' }),
    el('p', { className: 'muted', text: 'Primary metric of the exported model, mean ± sd over the finished seeds, and at the last evaluation of each run; kept = mean / teacher; teacher − mean in points.' }),
    el('div', { className: 'table-scroll' }, table));
  return section;
}

// ---- the runs ----------------------------------------------------------------------------------

function runsSection(s: SweepView): HTMLElement {
  const table = el('table', { className: 'data', id: 'runs-table' });
  table.append(el('thead', {}, el('tr', {}, el('th', { text: '' }), el('th', { text: 'run' }), el('th', { text: 'kind' }), el('th', { text: 'state' }),
    el('th', { className: 'num', text: 'value' }), el('th', { className: 'num', text: 'kept' }), el('th', { className: 'num', text: 'best at step' }),
    el('th', { className: 'num', text: 'train time' }), el('th', { className: 'num', text: 'parameters' }), el('th', { text: '' }))));
  const body = el('tbody');
  for (const m of s.members) body.append(memberRow(m));
  table.append(body);
  const details = el('details', { id: 'runs' }, el('summary', {}, el('h2', { text: `Teachers and runs (${s.members.length})` })), table);
  details.open = openSections.get('runs') ?? s.members.length <= 40;
  details.addEventListener('toggle', () => openSections.set('runs', details.open));
  return details;
}

const seconds = (t: number | undefined) => (t === undefined ? '-' : t < 90 ? `${t.toFixed(0)} s` : t < 5400 ? `${(t / 60).toFixed(1)} min` : `${(t / 3600).toFixed(1)} h`);
const count = (n: number | undefined) => (n === undefined ? '-' : n >= 1e6 ? `${(n / 1e6).toFixed(1)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} k` : String(n));

function memberRow(m: SweepMemberView): HTMLElement {
  const open = button('Dashboard', () => send({ type: 'openRun', runId: m.runId }), 'secondary');
  open.dataset.runId = m.runId;
  if (m.status === undefined) open.setAttribute('disabled', '');
  const state = el('span', { className: `state state-${m.state}` }, el('span', { className: 'state-icon', text: STATE_ICONS[m.state] ?? '' }), ` ${m.state}`);
  const d = m.details;
  const best = d?.bestStep !== undefined ? `${d.bestStep}${d.bestInStage1 ? ' (stage 1)' : ''}` : '-';
  return el('tr', { 'data-run-id': m.runId, 'data-state': m.state },
    el('td', { className: 'muted', text: m.role === 'teacher' ? 'teacher' : m.role === 'general' ? 'general' : m.seed !== undefined ? `seed ${m.seed}` : '' }),
    el('td', { text: m.name, title: m.runId }), el('td', { text: m.kind }),
    el('td', { className: 'member-state' }, state, el('span', { className: 'muted detail', text: m.detail && m.detail !== m.state && m.state !== 'finished' ? ` · ${m.detail}` : '' })),
    el('td', { className: 'num', text: value(d?.value ?? null) }), el('td', { className: 'num', text: percent(d?.keptOfTeacher ?? null) }),
    el('td', { className: 'num', text: best }), el('td', { className: 'num', text: seconds(d?.trainSeconds) }), el('td', { className: 'num', text: count(d?.parameters) }),
    el('td', {}, open));
}

function render(): void {
  if (!current) return;
  const s = current;
  const notes = s.notes.length ? el('section', { id: 'notes' }, el('h2', { text: 'Notes' }), el('ul', {}, ...s.notes.map((n) => el('li', { text: n })))) : undefined;
  const scrollY = window.scrollY;
  const front = frontSection(s, {
    axis: frontAxis,
    width: Math.max(420, Math.min(1100, root.clientWidth - 8)),
    setAxis: (axis) => {
      frontAxis = axis;
      host.setState({ sweepId, frontAxis });
      render();
      document.getElementById(`front-axis-${axis}`)?.focus(); // a keyboard user stays on the toggle
    },
    send,
  });
  root.replaceChildren(...[header(s), front, comparisons(s), cellsSection(s), runsSection(s), notes].filter((x): x is HTMLElement => x !== undefined));
  window.scrollTo(0, scrollY);
  root.dataset.live = String(s.live);
  root.dataset.done = String(s.done);
}

host.onMessage((msg) => {
  if (DidLoadSweepNotification.is(msg) || DidChangeSweepNotification.is(msg)) {
    if (msg.params.sweep.id !== sweepId) return;
    current = msg.params.sweep;
    render();
  } else if (DidActionNotification.is(msg)) {
    feedback = msg.params;
    const p = document.getElementById('sweep-feedback');
    if (p) {
      p.textContent = feedback.message;
      p.className = feedback.ok ? 'muted' : 'error';
    }
  } else {
    console.warn('sweep panel: ignored a message that fits no declared type', msg);
  }
});

root.dataset.theme = themeKind();
onThemeChange(() => {
  root.dataset.theme = themeKind();
  render();
});
// The plots are drawn for the page's width: draw them again when the width changes (not the height,
// which every render changes).
let resizeTimer: number | undefined;
let lastWidth = root.clientWidth;
new ResizeObserver(() => {
  if (root.clientWidth === lastWidth) return;
  lastWidth = root.clientWidth;
  if (resizeTimer !== undefined) clearTimeout(resizeTimer);
  resizeTimer = window.setTimeout(render, 100);
}).observe(root);
host.post(ReadyNotification.create({}));
