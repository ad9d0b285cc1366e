// How a session shows itself in a terminal: a progress bar with the loss terms (cli-progress) when
// stdout is a terminal, plain lines otherwise (CI logs, pipes) or with --plain.
import { SingleBar, Presets } from 'cli-progress';
import type { LossTerms } from '../protocol';
import type { SessionEvents } from '../session/trainingSession';

function fmt(x: number | undefined, digits = 4): string {
  return x === undefined ? '-' : Math.abs(x) >= 1e4 || (x !== 0 && Math.abs(x) < 1e-3) ? x.toExponential(2) : x.toFixed(digits);
}

export function lossSummary(t: LossTerms): string {
  const parts = [`total ${fmt(t.total)}`];
  if (t.mid !== undefined) parts.push(`mid ${fmt(t.mid)}`);
  if (t.soft !== undefined) parts.push(`soft ${fmt(t.soft)}`);
  if (t.hard !== undefined) parts.push(`hard ${fmt(t.hard)}`);
  if (t.mlm !== undefined) parts.push(`mlm ${fmt(t.mlm)}`);
  return parts.join(' ');
}

export function terminalEvents(label: string, options: { plain?: boolean; quiet?: boolean } = {}): SessionEvents & { close(): void } {
  const tty = !options.plain && !!process.stdout.isTTY;
  let bar: SingleBar | undefined;
  let lastScore = '';
  const line = (s: string) => {
    if (bar) bar.stop();
    console.log(s);
    bar = undefined;
  };
  return {
    log: (level, message) => {
      // an error is the failed status's message too, shown once below
      if (level === 'debug' || level === 'error' || options.quiet) return;
      line(`${label}: ${level === 'info' ? '' : `${level}: `}${message}`);
    },
    progress: (p) => {
      const loss = lossSummary(p.clean) + (p.perturbed ? ` | perturbed ${fmt(p.perturbed.total)}` : '');
      if (!tty) {
        console.log(`${label}: step ${p.step}/${p.totalSteps} stage ${p.stage} ${loss} lr ${fmt(p.learningRate, 6)} ${p.examplesPerSecond.toFixed(1)} ex/s`);
        return;
      }
      if (!bar) {
        bar = new SingleBar({ format: `${label} {bar} {value}/{total} | stage {stage} | {loss} | {speed} ex/s{score}`, hideCursor: true, clearOnComplete: false }, Presets.shades_classic);
        bar.start(p.totalSteps, p.step, { stage: p.stage, loss, speed: p.examplesPerSecond.toFixed(1), score: lastScore });
      }
      bar.update(p.step, { stage: p.stage, loss, speed: p.examplesPerSecond.toFixed(1), score: lastScore });
    },
    evaluation: (e) => {
      lastScore = ` | ${e.primary} ${e.score === null ? 'n/a' : fmt(e.score)}`;
      const all = Object.entries(e.metrics).map(([k, v]) => `${k} ${fmt(v)}`).join(', ') || `${e.primary} n/a`;
      if (!tty || options.plain) console.log(`${label}: eval at step ${e.step}: ${all}${e.best ? ' (best)' : e.candidate ? '' : ' (not a candidate for the best model)'}`);
      else bar?.update({ score: lastScore });
    },
    checkpoint: () => {},
    status: (s) => {
      if (s.status !== 'running') line(`${label}: ${s.status}${s.error ? `: ${s.error.message}` : ''}`);
    },
    close: () => bar?.stop(),
  };
}
