// The dashboard without a run: the trainer process and its backend (with a button to start it), and
// the runs of the workspace, each with a button that opens its own dashboard.
import { button, divider, tag } from '../shared/toolkit';
import type { RunSummary, TrainerInfo } from './protocol';

export interface OverviewActions {
  startTrainer: () => void;
  openRun: (runId: string) => void;
}

export function renderOverview(root: HTMLElement, info: TrainerInfo, runs: RunSummary[], actions: OverviewActions): void {
  const heading = document.createElement('h1');
  heading.textContent = 'LRC Distill: run dashboard';
  const status = document.createElement('p');
  status.id = 'trainer-status';
  status.append('Trainer: ', tag(info.status));
  const backend = document.createElement('p');
  backend.id = 'trainer-backend';
  backend.textContent = info.backend ? `Backend: ${info.backend}${info.device ? ` on ${info.device}` : ''}` : 'Backend: not chosen yet';
  const detail = document.createElement('p');
  detail.textContent = info.detail ?? '';
  detail.id = 'trainer-detail';
  detail.className = 'muted';
  root.replaceChildren(heading, divider(), status, backend, detail);
  if (info.status === 'not started' || info.status === 'failed') {
    const start = button(info.status === 'failed' ? 'Try again' : 'Start trainer', actions.startTrainer);
    start.id = 'start-trainer';
    root.append(start);
  }
  const runsHead = document.createElement('h2');
  runsHead.textContent = 'Runs';
  const list = document.createElement('ul');
  list.id = 'overview-runs';
  list.className = 'run-list';
  for (const r of runs) {
    const li = document.createElement('li');
    const name = document.createElement('span');
    name.className = 'run-name';
    name.textContent = r.name;
    const facts = document.createElement('span');
    facts.className = 'muted';
    facts.textContent = ` ${r.kind} · step ${r.step}/${r.totalSteps || '?'}${r.best ? ` · ${r.best}` : ''} `;
    const open = button('Open', () => actions.openRun(r.id), 'secondary');
    open.dataset.runId = r.id;
    li.append(name, ' ', tag(r.status), facts, open);
    list.append(li);
  }
  const hint = document.createElement('p');
  hint.className = 'muted';
  hint.textContent = runs.length
    ? 'Open a run to follow its curves and steer its stages.'
    : 'No runs in this workspace yet: start one with "LRC: New Distillation Run" or "LRC: Train Teacher".';
  root.append(runsHead, hint, list);
}
