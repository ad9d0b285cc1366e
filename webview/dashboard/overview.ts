// The dashboard without a run: the trainer process and its backend, with a button to start it.
import { button, divider, tag } from '../shared/toolkit';
import type { TrainerInfo } from './protocol';

export function renderOverview(root: HTMLElement, info: TrainerInfo, startTrainer: () => void): void {
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
  detail.className = 'muted';
  const hint = document.createElement('p');
  hint.className = 'muted';
  hint.textContent = 'Open a run from the Runs view (or "LRC: Open Dashboard" with runs in the workspace) to follow its curves and steer its stages.';
  root.replaceChildren(heading, divider(), status, backend, detail, hint);
  if (info.status === 'not started' || info.status === 'failed') {
    const start = button(info.status === 'failed' ? 'Try again' : 'Start trainer', startTrainer);
    start.id = 'start-trainer';
    root.append(start);
  }
}
