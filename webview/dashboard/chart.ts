// One line chart against steps, drawn with uPlot (a canvas, no eval: it runs under the webview's
// content security policy). Colours come from the theme; vertical markers show where stages begin.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { seriesColors, themeColor, withAlpha } from '../shared/theme';

export interface SeriesSpec {
  label: string;
  /** Index into the theme's series colours. */
  color: number;
  dashed?: boolean;
  /** Line width in CSS pixels (default 1.5): a wide line stays visible under a thin one with the same values. */
  width?: number;
}

type Column = (number | null)[];

export class StepChart {
  private plot: uPlot | undefined;
  private specKey = '';
  private x: number[] = [];
  private ys: Column[] = [];
  private series: SeriesSpec[] = [];
  private markers: number[] = [];
  private logY: boolean;
  private readonly box: HTMLElement;
  private readonly heading: HTMLElement;
  private readonly empty: HTMLElement;

  constructor(
    readonly element: HTMLElement,
    title: string,
    private readonly format: (v: number) => string,
    options: { logY?: boolean; emptyText?: string } = {},
  ) {
    this.logY = !!options.logY;
    element.classList.add('chart');
    const heading = document.createElement('h3');
    this.heading = document.createElement('span');
    this.heading.textContent = title;
    heading.append(this.heading);
    this.box = document.createElement('div');
    this.box.className = 'chart-box';
    this.empty = document.createElement('p');
    this.empty.className = 'muted chart-empty';
    this.empty.textContent = options.emptyText ?? 'No data yet.';
    element.replaceChildren(heading, this.box, this.empty);
    new ResizeObserver(() => this.plot?.setSize(this.size())).observe(element);
  }

  /** New data; the chart is rebuilt only when its series change. */
  setData(x: number[], series: SeriesSpec[], ys: Column[], markers: number[] = []): void {
    this.x = x;
    this.ys = ys;
    this.series = series;
    const markersChanged = markers.join() !== this.markers.join();
    this.markers = markers;
    const key = JSON.stringify(series);
    const hasData = x.length > 0 && series.length > 0;
    this.empty.hidden = hasData;
    this.box.hidden = !hasData;
    if (!hasData) return;
    if (!this.plot || key !== this.specKey) this.rebuild();
    else {
      this.plot.setData(this.aligned());
      if (markersChanged) this.plot.redraw(false);
    }
  }

  setTitle(title: string): void {
    if (this.heading.textContent !== title) this.heading.textContent = title;
  }

  setLogY(on: boolean): void {
    this.logY = on;
    this.rebuild();
  }

  /** Draws again with the current theme's colours. */
  rebuild(): void {
    this.plot?.destroy();
    this.plot = undefined;
    this.specKey = JSON.stringify(this.series);
    if (!this.x.length || !this.series.length) return;
    const colors = seriesColors();
    const fg = themeColor('foreground', '#cccccc');
    const grid = withAlpha(themeColor('foreground', '#808080'), 0.15);
    const markerColor = themeColor('charts-purple', '#b180d7');
    const axis: uPlot.Axis = { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 }, font: `11px ${themeColor('font-family', 'sans-serif')}` };
    const opts: uPlot.Options = {
      ...this.size(),
      scales: { x: { time: false }, y: this.logY ? { distr: 3 } : {} },
      series: [
        { label: 'step', value: (_u, v) => (v == null ? '–' : String(v)) },
        ...this.series.map((s) => ({
          label: s.label, stroke: colors[s.color % colors.length], width: s.width ?? 1.5, spanGaps: true,
          dash: s.dashed ? [6, 4] : undefined, points: { show: this.x.length < 40 },
          value: (_u: uPlot, v: number | null) => (v == null ? '–' : this.format(v)),
        })),
      ],
      axes: [{ ...axis, label: 'step', labelFont: axis.font }, { ...axis, values: (_u, vals) => vals.map((v) => (v == null ? '' : this.format(v))), size: 60 }],
      legend: { show: true, live: true },
      cursor: { drag: { x: true, y: false } },
      hooks: {
        draw: [
          (u) => {
            const ctx = u.ctx;
            ctx.save();
            ctx.strokeStyle = markerColor;
            ctx.setLineDash([3, 3]);
            ctx.lineWidth = devicePixelRatio;
            for (const step of this.markers) {
              const px = Math.round(u.valToPos(step, 'x', true));
              if (px < u.bbox.left || px > u.bbox.left + u.bbox.width) continue;
              ctx.beginPath();
              ctx.moveTo(px, u.bbox.top);
              ctx.lineTo(px, u.bbox.top + u.bbox.height);
              ctx.stroke();
            }
            ctx.restore();
          },
        ],
      },
    };
    this.plot = new uPlot(opts, this.aligned(), this.box);
  }

  /** The data as uPlot takes it; on a log scale, values <= 0 become gaps. */
  private aligned(): uPlot.AlignedData {
    const ys = this.logY ? this.ys.map((c) => c.map((v) => (v !== null && v > 0 ? v : null))) : this.ys;
    return [this.x, ...ys] as uPlot.AlignedData;
  }

  private size(): { width: number; height: number } {
    return { width: Math.max(240, this.element.clientWidth - 8), height: 200 };
  }
}
