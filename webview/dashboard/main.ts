// The run dashboard (browser side). For now it shows the trainer process and its backend; live runs
// arrive with the run store.
import { ReadyNotification } from '../shared/protocol';
import { button, divider, tag } from '../shared/toolkit';
import { connect } from '../shared/vscodeApi';
import { DidChangeTrainerNotification, StartTrainerNotification, type DashboardState, type TrainerInfo } from './protocol';

const host = connect<DashboardState>();
const root = document.getElementById('dashboard-root')!;

function render(info: TrainerInfo): void {
  const status = document.createElement('p');
  status.id = 'trainer-status';
  status.append('Trainer: ', tag(info.status));
  const backend = document.createElement('p');
  backend.id = 'trainer-backend';
  backend.textContent = info.backend ? `Backend: ${info.backend}${info.device ? ` on ${info.device}` : ''}` : 'Backend: not chosen yet';
  const detail = document.createElement('p');
  detail.textContent = info.detail ?? '';
  detail.className = 'muted';
  const heading = document.createElement('h1');
  heading.textContent = 'LRC Distill: run dashboard';
  root.replaceChildren(heading, divider(), status, backend, detail);
  if (info.status === 'not started' || info.status === 'failed') {
    const start = button(info.status === 'failed' ? 'Try again' : 'Start trainer', () => host.post(StartTrainerNotification.create({})));
    start.id = 'start-trainer';
    root.append(start);
  }
}

host.onMessage((msg) => {
  if (DidChangeTrainerNotification.is(msg)) render(msg.params);
});
render({ status: 'not started' });
host.post(ReadyNotification.create({}));
