// The dashboard of one run: header (status, step, stage, best, backend), the stage timeline, the
// stage controls, four charts against steps and the list of events. Built once, then updated in place.
import { button, divider, setDisabled, tag, textField, type TextField } from '../shared/toolkit';
import { onThemeChange, themeKind } from '../shared/theme';
import { StepChart, type SeriesSpec } from './chart';
import { WEIGHT_FIELDS, weightProblem, type DashboardAction, type MetricPoint, type RunView, type WeightField } from './protocol';
import { LOSS_TERMS, RunSeries, type LossTerm } from './series';
import { renderTimeline } from './timeline';

const TERM_LABELS: Record<LossTerm, string> = { total: 'total', mid: 'L_mid', soft: 'L_soft', hard: 'L_hard', mlm: 'L_mlm' };
const FIELD_LABELS: Record<WeightField, string> = { alpha: 'α (L_mid)', beta: 'β (L_soft)', gamma: 'γ (L_hard)', temperature: 'T', epsilon: 'ε' };

const fmt = (v: number): string => {
  const a = Math.abs(v);
  if (a === 0) return '0';
  if (a >= 1000) return v.toFixed(0);
  if (a >= 1) return v.toFixed(3).replace(/\.?0+$/, '');
  if (a >= 1e-3) return String(Number(v.toPrecision(3)));
  return v.toExponential(2).replace(/\.?0+e/, 'e');
};

function el<K extends keyof HTMLElementTagNameMap>(tagName: K, attrs: { id?: string; className?: string; text?: string } = {}): HTMLElementTagNameMap[K] {
  const e = document.createElement(tagName);
  if (attrs.id) e.id = attrs.id;
  if (attrs.className) e.className = attrs.className;
  if (attrs.text !== undefined) e.textContent = attrs.text;
  return e;
}

export class RunPage {
  private series = new RunSeries();
  private run: RunView;
  private readonly title = el('h1', { id: 'run-title' });
  private readonly tags = el('div', { id: 'run-tags', className: 'tags' });
  private readonly facts = el('div', { id: 'run-facts', className: 'facts' });
  private readonly timeline = el('div', { id: 'stage-timeline', className: 'timeline' });
  private readonly buttons: Record<string, HTMLElement>;
  private readonly fields = new Map<WeightField, TextField>();
  private readonly fieldErrors = el('p', { id: 'weight-errors', className: 'error' });
  private readonly weightsBox = el('section', { id: 'weights', className: 'weights' });
  private readonly feedback = el('p', { id: 'control-feedback', className: 'muted', text: '' });
  private readonly events = el('ol', { id: 'events', className: 'events' });
  private readonly charts: { loss: StepChart; eval: StepChart; lr: StepChart; throughput: StepChart };
  private weightsTouched = false;

  constructor(
    root: HTMLElement,
    run: RunView,
    private readonly send: (action: DashboardAction) => void,
    private readonly openRun: (runId: string) => void,
  ) {
    this.run = run;
    this.buttons = {
      start: button('Start / resume', () => this.act({ type: 'startOrResume' })),
      pause: button('Pause', () => this.act({ type: 'pause' }), 'secondary'),
      resume: button('Resume', () => this.act({ type: 'resume' })),
      stop: button('Stop', () => this.act({ type: 'stop' }), 'secondary'),
      nextStage: button('Next stage now', () => this.act({ type: 'nextStage' }), 'secondary'),
      evaluate: button('Evaluate now', () => this.act({ type: 'evaluate' }), 'secondary'),
      apply: button('Apply to the trainer', () => this.applyWeights()),
      paired: button('Open paired run', () => this.run.pairedRunId && this.openRun(this.run.pairedRunId), 'secondary'),
    };
    for (const [name, b] of Object.entries(this.buttons)) b.id = `btn-${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

    const controls = el('section', { id: 'controls', className: 'controls' });
    controls.append(this.buttons.start, this.buttons.pause, this.buttons.resume, this.buttons.stop, this.buttons.nextStage, this.buttons.evaluate, this.buttons.paired);
    const weightsHead = el('h3', { text: 'Weights of the current stage' });
    const weightRow = el('div', { className: 'weight-row' });
    for (const f of WEIGHT_FIELDS) {
      const field = textField(FIELD_LABELS[f], '', () => {
        this.weightsTouched = true;
        this.checkFields();
      });
      field.element.id = `weight-${f}`;
      this.fields.set(f, field);
      weightRow.append(field.element);
    }
    weightRow.append(this.buttons.apply);
    this.weightsBox.append(weightsHead, weightRow, this.fieldErrors);

    const chartGrid = el('section', { className: 'charts' });
    const chartEl = (id: string) => {
      const c = el('div', { id });
      chartGrid.append(c);
      return c;
    };
    this.charts = {
      loss: new StepChart(chartEl('chart-loss'), 'Loss terms', fmt),
      eval: new StepChart(chartEl('chart-eval'), 'Evaluation on the dev set', fmt, { emptyText: 'No evaluation yet.' }),
      lr: new StepChart(chartEl('chart-lr'), 'Learning rate', fmt),
      throughput: new StepChart(chartEl('chart-throughput'), 'Throughput (examples / s)', fmt),
    };
    const logToggle = el('label', { className: 'log-toggle' });
    const logBox = el('input');
    logBox.type = 'checkbox';
    logBox.id = 'loss-log-scale';
    logBox.addEventListener('change', () => this.charts.loss.setLogY(logBox.checked));
    logToggle.append(logBox, ' log scale');
    this.charts.loss.element.querySelector('h3')?.append(logToggle);

    const eventsHead = el('h3', { text: 'Events' });
    root.replaceChildren(this.title, this.tags, this.facts, this.timeline, controls, this.weightsBox, this.feedback, divider(), chartGrid, eventsHead, this.events);
    // Charts draw on canvases: draw them again in the new theme's colours (data-theme tells tests when).
    root.dataset.theme = themeKind();
    onThemeChange(() => {
      Object.values(this.charts).forEach((c) => c.rebuild());
      root.dataset.theme = themeKind();
    });
    this.render();
  }

  get runId(): string {
    return this.run.id;
  }

  /** Replaces the history (the page was opened or reloaded). */
  load(run: RunView, points: MetricPoint[]): void {
    this.run = run;
    this.series = new RunSeries();
    this.series.add(points);
    this.render();
  }

  append(points: MetricPoint[]): void {
    this.series.add(points);
    this.render();
  }

  setRun(run: RunView): void {
    if (run.status !== this.run.status) this.feedback.textContent = ''; // an answer about the old state
    this.run = run;
    this.render();
  }

  showFeedback(ok: boolean, message: string): void {
    this.feedback.className = ok ? 'muted' : 'error';
    this.feedback.textContent = message;
  }

  private act(action: DashboardAction): void {
    this.showFeedback(true, `${action.type}…`);
    this.send(action);
  }

  /** Validates the weight fields here (the host and the trainer check again); returns the change. */
  private checkFields(): Partial<Record<WeightField, number>> | undefined {
    const change: Partial<Record<WeightField, number>> = {};
    const problems: string[] = [];
    const current = this.currentWeights();
    for (const [f, field] of this.fields) {
      const text = field.value.trim();
      if (text === '') continue;
      const value = Number(text);
      const problem = text && !/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text) ? `${f} must be a number, got "${text}"` : weightProblem(f, value);
      if (problem) problems.push(problem);
      else if (!current || current[f] !== value) change[f] = value;
    }
    this.fieldErrors.textContent = problems.join('; ');
    setDisabled(this.buttons.apply, problems.length > 0 || !this.isLive() || !this.distils());
    return problems.length ? undefined : change;
  }

  private applyWeights(): void {
    const change = this.checkFields();
    if (!change) return;
    if (Object.keys(change).length === 0) {
      this.showFeedback(false, 'nothing to apply: the fields hold the weights in use');
      return;
    }
    this.weightsTouched = false;
    this.act({ type: 'setWeights', ...change });
  }

  private isLive(): boolean {
    return this.run.status === 'running' || this.run.status === 'paused';
  }

  private distils(): boolean {
    return this.run.kind === 'lrc' || this.run.kind === 'mse';
  }

  /** The weights in use: the last progress record's, else the planned weights of the current stage. */
  private currentWeights(): Record<WeightField, number> | undefined {
    if (this.series.lastWeights) return this.series.lastWeights;
    const r = this.run;
    const w = r.stage >= 2 ? r.stage2 : r.stage1;
    if (!w || r.temperature === undefined || r.epsilon === undefined) return undefined;
    return { ...w, temperature: r.temperature, epsilon: r.epsilon };
  }

  private render(): void {
    const r = this.run;
    const s = this.series;
    const live = this.isLive();
    this.title.textContent = r.name;
    this.tags.replaceChildren(
      withId(tag(r.status), 'run-status'),
      tag(r.kind + (r.preset ? ` · ${r.preset}` : '')),
      withId(withTitle(tag(r.backend ? `backend ${r.backend}` : 'backend not chosen yet'), [r.device, r.rejected && `Not used: ${r.rejected}`]), 'run-backend'),
      tag(r.owner === 'extension' ? `trainer of this window${r.pid ? ` (pid ${r.pid})` : ''}` : r.owner === 'other' ? `trained by another process${r.pid ? ` (pid ${r.pid})` : ''}` : 'no trainer'),
    );
    const step = Math.max(r.step, s.lastStep);
    const facts: [string, string, string][] = [
      ['run-step', 'Step', `${step} / ${r.totalSteps || '?'}`],
      ['run-stage', 'Stage', this.distils() ? String(s.stages.length ? s.stages[s.stages.length - 1] : r.stage) : r.kind === 'general' ? 'general distillation (one stage, COS-NCE)' : 'fine-tuning'],
      ['run-best', 'Best', r.best ? `${r.best.metric} ${fmt(r.best.value)} at step ${r.best.step}` : '–'],
      ['run-loss', 'Last loss', s.clean.total.length ? fmt(s.clean.total[s.clean.total.length - 1] ?? NaN) : '–'],
      ['run-device', 'Device', r.device ?? '–'],
    ];
    this.facts.replaceChildren(
      ...facts.map(([id, label, value]) => {
        const d = el('div', { className: 'fact' });
        d.append(el('span', { className: 'fact-label', text: label }), el('span', { id, className: 'fact-value', text: value }));
        return d;
      }),
    );
    if (r.rejected) this.facts.append(el('p', { id: 'run-backend-rejected', className: 'muted', text: `Not used: ${r.rejected}` }));
    if (r.error) this.facts.append(el('p', { id: 'run-error', className: 'error', text: r.error }));
    renderTimeline(this.timeline, r, step, s.stageStarts());

    // controls that fit the state
    const show = (name: string, visible: boolean, enabled = true) => {
      this.buttons[name].hidden = !visible;
      setDisabled(this.buttons[name], !enabled);
    };
    const resumable = ['queued', 'stopped', 'crashed', 'failed'].includes(r.status);
    show('start', resumable, r.owner === 'none');
    show('pause', r.status === 'running');
    show('resume', r.status === 'paused');
    show('stop', live);
    show('nextStage', this.distils() && live, (s.stages[s.stages.length - 1] ?? r.stage) < 2);
    show('evaluate', live);
    show('paired', !!r.pairedRunId);
    this.weightsBox.hidden = !this.distils();
    const w = this.currentWeights();
    if (w && !this.weightsTouched) for (const [f, field] of this.fields) field.value = fmt(w[f]);
    this.checkFields();

    // charts
    const terms = s.presentTerms();
    const lossSeries: SeriesSpec[] = [];
    const lossColumns: (number | null)[][] = [];
    LOSS_TERMS.forEach((t, i) => {
      if (terms.clean.includes(t)) {
        lossSeries.push({ label: TERM_LABELS[t], color: i, width: t === 'total' ? 4 : 1.5 });
        lossColumns.push(s.clean[t]);
      }
      if (terms.perturbed.includes(t)) {
        lossSeries.push({ label: `${TERM_LABELS[t]} (perturbed)`, color: i, dashed: true, width: t === 'total' ? 3 : 1.5 });
        lossColumns.push(s.perturbed[t]);
      }
    });
    const markers = s.stageStarts();
    this.charts.loss.setTitle(terms.perturbed.length ? 'Loss terms (solid: clean input, dashed: perturbed embedding)' : 'Loss terms');
    this.charts.loss.setData(s.steps, lossSeries, lossColumns, markers);
    const metricNames = [...s.evalMetrics.keys()];
    this.charts.eval.setData(s.evalSteps, metricNames.map((m, i) => ({ label: m === s.primaryMetric ? `${m} (primary)` : m, color: i })), metricNames.map((m) => s.evalMetrics.get(m)!), markers);
    this.charts.lr.setData(s.steps, [{ label: 'learning rate', color: 3 }], [s.learningRate], markers);
    this.charts.throughput.setData(s.steps, [{ label: 'examples / s', color: 2 }], [s.throughput], markers);

    // events, newest first
    this.events.replaceChildren(
      ...s.marks.slice(-60).reverse().map((m) => {
        const li = el('li', { className: `event ${m.level}` });
        li.append(el('span', { className: 'event-step', text: `step ${m.step}` }), ` ${m.text}`);
        return li;
      }),
    );
    if (!s.marks.length) this.events.append(el('li', { className: 'muted', text: 'No events yet.' }));
  }
}

function withId(e: HTMLElement, id: string): HTMLElement {
  e.id = id;
  return e;
}

/** A hover text of the lines given (empty ones left out). */
function withTitle(e: HTMLElement, lines: (string | undefined)[]): HTMLElement {
  const text = lines.filter(Boolean).join('\n');
  if (text) e.title = text;
  return e;
}
