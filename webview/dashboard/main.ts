// The run dashboard (browser side): the overview of the trainer without a run, or one run's page. The
// run id comes from the host (data-run-id) or, after a reload, from the saved state.
import { ReadyNotification } from '../shared/protocol';
import { connect } from '../shared/vscodeApi';
import {
  ControlNotification,
  DidAppendPointsNotification,
  DidChangeRunNotification,
  DidChangeRunsNotification,
  DidChangeTrainerNotification,
  DidControlNotification,
  DidLoadRunNotification,
  OpenRunNotification,
  StartTrainerNotification,
  isDashboardState,
  type DashboardState,
  type RunSummary,
  type TrainerInfo,
} from './protocol';
import { renderOverview } from './overview';
import { RunPage } from './runPage';

const host = connect<DashboardState>();
const root = document.getElementById('dashboard-root')!;
const saved = host.getState();
const runId = root.dataset.runId ?? (isDashboardState(saved) ? saved.runId : undefined);
host.setState({ runId });

let page: RunPage | undefined;
let trainer: TrainerInfo = { status: 'not started' };
let runs: RunSummary[] = [];
const overview = () =>
  renderOverview(root, trainer, runs, {
    startTrainer: () => host.post(StartTrainerNotification.create({})),
    openRun: (id) => host.post(OpenRunNotification.create({ runId: id })),
  });

host.onMessage((msg) => {
  if (DidChangeTrainerNotification.is(msg)) {
    trainer = msg.params;
    if (!runId) overview();
  } else if (DidChangeRunsNotification.is(msg)) {
    runs = msg.params.runs;
    if (!runId) overview();
  } else if (DidLoadRunNotification.is(msg)) {
    const { run, points } = msg.params;
    if (run.id !== runId) return;
    if (!page) {
      page = new RunPage(root, run, (action) => host.post(ControlNotification.create({ runId: run.id, action })), (id) => host.post(OpenRunNotification.create({ runId: id })));
    }
    page.load(run, points);
  } else if (DidAppendPointsNotification.is(msg)) {
    if (page && msg.params.runId === page.runId) page.append(msg.params.points);
  } else if (DidChangeRunNotification.is(msg)) {
    if (page && msg.params.run.id === page.runId) page.setRun(msg.params.run);
  } else if (DidControlNotification.is(msg)) {
    page?.showFeedback(msg.params.ok, msg.params.message);
  } else {
    console.warn('dashboard: ignored a message that fits no declared type', msg);
  }
});

if (!runId) overview();
host.post(ReadyNotification.create({}));
