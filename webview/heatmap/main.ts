// The layer heatmap (browser side): the grids of the LRC student and of its MSE baseline at one step,
// side by side on one colour scale; a step slider with playback over the run's evaluations; angular
// distance or MSE; hover for the exact values; export as PNG or CSV. The host sends the grids of every
// step (small: the case records stay in the files); the page keeps them and draws on a canvas.
import { ReadyNotification } from '../shared/protocol';
import { connect } from '../shared/vscodeApi';
import { button, setDisabled } from '../shared/toolkit';
import { formatValue } from '../cases/format';
import { cssVar, el, onThemeChange, runProbe, timeToPaint } from '../cases/pageTools';
import type { StudentRole } from '../cases/protocol';
import { ANGULAR_RANGE, niceCeiling } from './colorScale';
import { cellLines, gridTables } from './cellDetails';
import { gridCsv } from './gridCsv';
import { drawFigure, gridOrigins, hitTest, layoutFigure, type CellHit, type Scale } from './heatmapFigure';
import {
  DidFailNotification,
  DidLoadRunNotification,
  DidLoadStepNotification,
  DidSaveNotification,
  HeatmapProbe,
  RequestStepNotification,
  SaveFileNotification,
  isHeatmapState,
  type GridKind,
  type HeatmapRunView,
  type HeatmapState,
  type HeatmapStepView,
} from './protocol';

const host = connect<HeatmapState>();
const root = document.getElementById('heatmap-root')!;
const saved = host.getState();
const runId = root.dataset.runId ?? (isHeatmapState(saved) ? saved.runId : undefined);
const runDir = root.dataset.runDir ?? (isHeatmapState(saved) ? saved.runDir : undefined);

const SPEEDS = [{ label: '0.5 s per step', ms: 500 }, { label: '1 s per step', ms: 1000 }, { label: '2 s per step', ms: 2000 }];

let run: HeatmapRunView | undefined;
const loaded = new Map<number, HeatmapStepView>();
let index = -1;
let follow = true;
let kind: GridKind = isHeatmapState(saved) && saved.runId === runId ? saved.kind : 'angular';
let wantedStep = isHeatmapState(saved) && saved.runId === runId ? saved.step : undefined;
let mseMax = 0;
let hits: CellHit[] = [];
let playTimer: number | undefined;
let speed = SPEEDS[1].ms;
let drawMs = 0;
let paintMs = 0;
let drawnStep: number | undefined;
let lastTooltip = '';

// ---- the page ----------------------------------------------------------------------------------

const title = el('h1', { text: 'Layer heatmap' });
const subtitle = el('p', { className: 'muted', id: 'subtitle' });
const kindAngular = el('button', { id: 'kind-angular', className: 'segment', role: 'radio', text: 'Angular distance' });
const kindMse = el('button', { id: 'kind-mse', className: 'segment', role: 'radio', text: 'MSE' });
const kindGroup = el('div', { className: 'segmented', role: 'radiogroup', 'aria-label': 'Distance' }, kindAngular, kindMse);
const slider = el('input', { id: 'step-slider', type: 'range', min: 0, max: 0, value: 0, step: 1, 'aria-label': 'Evaluation step' });
const stepLabel = el('span', { id: 'step-label', className: 'step-label' });
const playButton = button('Play', () => togglePlay(), 'secondary');
playButton.id = 'play';
const speedSelect = el('select', { id: 'speed', 'aria-label': 'Playback speed' }, ...SPEEDS.map((s) => el('option', { value: s.ms, text: s.label, selected: s.ms === speed })));
const pngButton = button('Export PNG', () => exportPng(), 'secondary');
pngButton.id = 'export-png';
const csvButton = button('Export CSV', () => exportCsv(), 'secondary');
csvButton.id = 'export-csv';
const canvas = el('canvas', { id: 'heatmap-canvas', role: 'img' });
const tooltip = el('div', { id: 'tooltip', className: 'tooltip', role: 'tooltip', hidden: true });
const figure = el('div', { id: 'figure', className: 'figure' }, canvas, tooltip);
const scaleNote = el('p', { id: 'scale-note', className: 'muted' });
// the grids as tables for screen readers (the canvas is a picture to them)
const gridTablesBox = el('div', { id: 'grid-tables', className: 'visually-hidden' });
const message = el('p', { id: 'message', className: 'message', 'aria-live': 'polite' });

root.replaceChildren(
  title,
  subtitle,
  el('div', { className: 'toolbar' }, kindGroup, el('div', { className: 'stepper' }, slider, stepLabel), playButton, speedSelect, pngButton, csvButton),
  figure,
  scaleNote,
  gridTablesBox,
  message,
);

kindAngular.addEventListener('click', () => setKind('angular'));
kindMse.addEventListener('click', () => setKind('mse'));
slider.addEventListener('input', () => {
  const wanted = Number(slider.value); // read before stopPlay() redraws the controls
  stopPlay();
  goTo(wanted);
});
speedSelect.addEventListener('change', () => {
  speed = Number(speedSelect.value);
  if (playTimer !== undefined) {
    stopPlay();
    togglePlay();
  }
});
canvas.addEventListener('mousemove', (e) => showTooltip(e));
canvas.addEventListener('mouseleave', () => {
  tooltip.hidden = true;
});
let figureWidth = 0;
new ResizeObserver(() => {
  if (Math.abs(figure.clientWidth - figureWidth) < 2) return;
  figureWidth = figure.clientWidth;
  draw();
}).observe(figure);
onThemeChange(() => draw());

// ---- state ---------------------------------------------------------------------------------------

function steps(): number[] {
  return run?.steps ?? [];
}

function currentStep(): number | undefined {
  return steps()[index];
}

function save(): void {
  if (runId) host.setState({ runId, runDir, kind, ...(follow ? {} : { step: currentStep() }) });
}

function setKind(k: GridKind): void {
  kind = k;
  save();
  renderControls();
  draw();
}

function goTo(i: number): void {
  const s = steps();
  if (s.length === 0) return;
  index = Math.max(0, Math.min(s.length - 1, i));
  follow = index === s.length - 1;
  save();
  const step = s[index];
  if (!loaded.has(step) && run) host.post(RequestStepNotification.create({ runId: run.runId, step }));
  renderControls();
  draw();
}

function togglePlay(): void {
  if (playTimer !== undefined) {
    stopPlay();
    return;
  }
  if (index >= steps().length - 1) goTo(0);
  playTimer = window.setInterval(() => {
    const next = index + 1;
    if (next >= steps().length) {
      stopPlay();
      return;
    }
    const step = steps()[next];
    if (loaded.has(step)) goTo(next);
    else if (run) host.post(RequestStepNotification.create({ runId: run.runId, step }));
  }, speed);
  renderControls();
}

function stopPlay(): void {
  if (playTimer !== undefined) clearInterval(playTimer);
  playTimer = undefined;
  renderControls();
}

// ---- drawing -------------------------------------------------------------------------------------

function scale(): Scale {
  if (kind === 'angular') return { ...ANGULAR_RANGE, title: 'Angular distance 1 − cos (0: same direction, 1: orthogonal, 2: opposite)' };
  return { min: 0, max: niceCeiling(mseMax), title: `MSE (0 to ${formatValue(niceCeiling(mseMax), 3)}: the largest of the steps loaded, both students)` };
}

function names(): Partial<Record<StudentRole, string>> {
  if (!run) return {};
  const own = run.kind === 'lrc' || run.kind === 'mse' ? { [run.kind]: run.runName } : {};
  const other = run.kind === 'lrc' ? 'mse' : 'lrc';
  // without a paired run, the other student can only come from this run's paired analysis
  return { ...own, [other]: run.pair ? run.pair.runName : `${run.runName}, paired analysis` };
}

function draw(): void {
  const step = currentStep();
  const view = step === undefined ? undefined : loaded.get(step);
  if (!view) {
    canvas.hidden = steps().length === 0;
    return;
  }
  canvas.hidden = false;
  const t0 = performance.now();
  const layout = layoutFigure(Math.max(320, figure.clientWidth - 4), view);
  const dpr = window.devicePixelRatio || 1;
  const w = Math.ceil(layout.width * dpr);
  const h = Math.ceil(layout.height * dpr);
  if (canvas.width !== w || canvas.height !== h) {
    canvas.width = w;
    canvas.height = h;
  }
  canvas.style.width = `${layout.width}px`;
  canvas.style.height = `${layout.height}px`;
  const ctx = canvas.getContext('2d')!;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  const theme = {
    background: cssVar('editor-background', '#1e1e1e'),
    foreground: cssVar('editor-foreground', cssVar('foreground', '#cccccc')),
    muted: cssVar('descriptionForeground', '#9d9d9d'),
    font: cssVar('font-family', 'sans-serif'),
  };
  hits = drawFigure(ctx, layout, view, kind, scale(), theme, names());
  drawMs = performance.now() - t0;
  drawnStep = view.step;
  canvas.dataset.layout = JSON.stringify(gridOrigins(layout));
  root.dataset.drawMs = drawMs.toFixed(2);
  root.dataset.step = String(view.step);
  gridTablesBox.replaceChildren(...gridTables(view, kind));
  canvas.setAttribute('aria-label', `${kind === 'angular' ? 'Angular distance' : 'MSE'} heatmap at step ${view.step}`);
  scaleNote.textContent = kind === 'angular'
    ? 'Fixed scale 0–2 for every step and both students. Rows: student layers (0 = embeddings); columns: teacher layers (0 = embeddings).'
    : 'MSE scale: 0 to the largest MSE of any step loaded so far, shared by both students, so that steps compare.';
}

function showTooltip(e: MouseEvent): void {
  const rect = canvas.getBoundingClientRect();
  const hit = hitTest(hits, e.clientX - rect.left, e.clientY - rect.top);
  if (!hit) {
    tooltip.hidden = true;
    return;
  }
  const lines = cellLines(hit.side, hit.i, hit.j);
  lastTooltip = lines.join('\n');
  tooltip.replaceChildren(...lines.map((l) => el('div', { text: l })));
  tooltip.hidden = false;
  const box = figure.getBoundingClientRect();
  const x = Math.min(e.clientX - box.left + 14, box.width - tooltip.offsetWidth - 4);
  tooltip.style.left = `${Math.max(0, x)}px`;
  tooltip.style.top = `${e.clientY - box.top + 14}px`;
}

function renderControls(): void {
  const s = steps();
  slider.max = String(Math.max(0, s.length - 1));
  slider.value = String(Math.max(0, index));
  setDisabled(slider as unknown as HTMLElement, s.length < 2);
  const step = currentStep();
  const view = step === undefined ? undefined : loaded.get(step);
  stepLabel.textContent = step === undefined
    ? 'no analysis yet'
    : `step ${step} (${index + 1} of ${s.length})${view ? ` · stage ${view.stage}` : ' · loading…'}${follow && s.length > 1 ? ' · latest' : ''}`;
  kindAngular.setAttribute('aria-checked', String(kind === 'angular'));
  kindMse.setAttribute('aria-checked', String(kind === 'mse'));
  playButton.textContent = playTimer !== undefined ? 'Pause' : 'Play';
  setDisabled(playButton, s.length < 2);
  setDisabled(pngButton, !view);
  setDisabled(csvButton, !view);
}

// ---- exports -------------------------------------------------------------------------------------

function fileStem(): string {
  return `lrc-heatmap-${run?.runId ?? 'run'}-step-${currentStep() ?? 0}-${kind}`;
}

function exportPng(): void {
  if (!run || drawnStep === undefined) return;
  host.post(SaveFileNotification.create({ runId: run.runId, format: 'png', name: `${fileStem()}.png`, data: canvas.toDataURL('image/png') }));
}

function exportCsv(): void {
  const step = currentStep();
  const view = step === undefined ? undefined : loaded.get(step);
  if (!run || !view) return;
  host.post(SaveFileNotification.create({ runId: run.runId, format: 'csv', name: `lrc-heatmap-${run.runId}-step-${view.step}.csv`, data: gridCsv(view) }));
}

// ---- messages ------------------------------------------------------------------------------------

function onRun(view: HeatmapRunView): void {
  const first = !run;
  run = view;
  title.textContent = `Layer heatmap: ${view.runName}`;
  subtitle.textContent = view.pair
    ? `${view.kind.toUpperCase()} run ${view.runId} (${view.status}) beside its pair ${view.pair.runName} (${view.pair.runId}), on one colour scale.`
    : `${view.kind.toUpperCase()} run ${view.runId} (${view.status}), without a paired run; a file of the paired analysis shows both students.`;
  message.textContent = view.steps.length ? '' : 'No analysis files yet: they appear at the run\'s evaluations (or with "LRC: Compute Analysis Now").';
  const s = view.steps;
  if (first && wantedStep !== undefined && s.includes(wantedStep)) {
    follow = false;
    index = s.indexOf(wantedStep);
  } else if (follow || index < 0) index = s.length - 1;
  else index = Math.min(index, s.length - 1);
  wantedStep = undefined;
  const step = currentStep();
  if (step !== undefined && !loaded.has(step)) host.post(RequestStepNotification.create({ runId: view.runId, step }));
  renderControls();
  draw();
}

function onStep(view: HeatmapStepView): void {
  loaded.set(view.step, view);
  let max = mseMax;
  for (const side of [view.sides.lrc, view.sides.mse]) for (const row of side?.mse ?? []) for (const v of row) if (v !== null && v > max) max = v;
  const grew = niceCeiling(max) !== niceCeiling(mseMax);
  mseMax = max;
  if (view.step === currentStep() || (kind === 'mse' && grew)) {
    const t0 = performance.now();
    renderControls();
    draw();
    void timeToPaint(t0).then((ms) => {
      paintMs = ms;
      root.dataset.paintMs = ms.toFixed(2);
    });
  }
}

function snapshot(): Record<string, unknown> {
  const step = currentStep();
  const view = step === undefined ? undefined : loaded.get(step);
  return {
    runId: run?.runId,
    steps: steps(),
    index,
    step,
    stage: view?.stage,
    kind,
    follow,
    playing: playTimer !== undefined,
    loadedSteps: [...loaded.keys()].sort((a, b) => a - b),
    drawnStep,
    scale: { min: scale().min, max: scale().max },
    sides: view ? view.sides : {},
    canvas: { width: canvas.width, height: canvas.height, cssWidth: canvas.style.width },
    drawMs,
    paintMs,
    tooltip: lastTooltip,
    message: message.textContent,
  };
}

/** Settled: the step shown is loaded and drawn. */
function settle(): Promise<void> {
  const started = Date.now();
  return new Promise((resolve) => {
    const check = () => {
      const step = currentStep();
      if (step === undefined || (loaded.has(step) && drawnStep === step) || Date.now() - started > 10_000) resolve();
      else setTimeout(check, 20);
    };
    setTimeout(check, 0);
  });
}

host.onMessage((msg) => {
  if (DidLoadRunNotification.is(msg)) {
    if (msg.params.run.runId === runId) onRun(msg.params.run);
  } else if (DidLoadStepNotification.is(msg)) {
    if (msg.params.runId === runId) onStep(msg.params.step);
  } else if (DidFailNotification.is(msg)) {
    message.textContent = msg.params.message;
    message.className = 'message error';
  } else if (DidSaveNotification.is(msg)) {
    message.textContent = msg.params.message;
    message.className = msg.params.ok ? 'message' : 'message error';
  } else if (HeatmapProbe.request.is(msg)) {
    void runProbe(root, msg.params, settle, snapshot).then((result) => host.post(HeatmapProbe.result.create(result)));
  } else {
    console.warn('heatmap: ignored a message that fits no declared type', msg);
  }
});

if (!runId) message.textContent = 'No run: open the heatmap with "LRC: Open Layer Heatmap".';
else {
  host.setState({ runId, runDir, kind, ...(wantedStep !== undefined ? { step: wantedStep } : {}) });
  host.post(ReadyNotification.create({}));
}
renderControls();
