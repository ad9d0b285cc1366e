// The stage timeline: a bar over the run's steps with the planned split between stage 1 (intermediate
// layers only) and stage 2 (with the prediction layer), where stage 2 actually began, and the current step.
import type { RunView } from './protocol';

function div(className: string, text?: string): HTMLDivElement {
  const d = document.createElement('div');
  d.className = className;
  if (text !== undefined) d.textContent = text;
  return d;
}

const pct = (v: number) => `${Math.max(0, Math.min(100, v * 100)).toFixed(2)}%`;

export function renderTimeline(container: HTMLElement, run: RunView, step: number, stageStarts: number[]): void {
  const total = run.totalSteps;
  const bar = div('timeline-bar');
  const distils = run.split !== undefined && (run.kind === 'lrc' || run.kind === 'mse');
  // Where stage 2 began (after "next stage now" that is earlier than planned), else where it is planned.
  const actual = stageStarts[0];
  const split = total > 0 ? (actual !== undefined ? actual / total : run.split ?? 1) : run.split ?? 1;
  const label = (share: number, long: string, short: string) => (share >= 0.12 ? long : share >= 0.03 ? short : '');
  if (distils && split > 0) {
    const s1 = div('timeline-stage stage-1', label(split, 'stage 1: L_mid', '1'));
    s1.style.width = pct(split);
    bar.append(s1);
  }
  if (distils && split < 1) {
    const s2 = div('timeline-stage stage-2', label(1 - split, 'stage 2: L_mid + L_soft + L_hard', '2'));
    s2.style.width = pct(1 - split);
    bar.append(s2);
  }
  if (!distils) {
    const one = div('timeline-stage stage-1', run.kind === 'teacher' ? 'teacher fine-tuning' : 'training');
    one.style.width = '100%';
    bar.append(one);
  }
  const planned = distils && run.split !== undefined && total > 0 ? Math.round(run.split * total) : undefined;
  if (planned !== undefined && actual !== undefined && actual !== planned) {
    const mark = div('timeline-planned');
    mark.style.left = pct(planned / total);
    mark.title = `stage 2 was planned from step ${planned}`;
    bar.append(mark);
  }
  if (total > 0) {
    const done = div('timeline-done');
    done.style.width = pct(step / total);
    const cursor = div('timeline-cursor');
    cursor.style.left = pct(step / total);
    cursor.title = `step ${step}`;
    bar.append(done, cursor);
  }
  const legend = div('timeline-legend muted');
  const parts = [`step ${step} of ${total || '?'}`];
  if (planned !== undefined) parts.push(`stage 2 planned from step ${planned} (split ${run.split})`);
  if (actual !== undefined && actual !== planned) parts.push(`stage 2 began at step ${actual}`);
  legend.textContent = parts.join(' · ');
  container.replaceChildren(bar, legend);
}
