// Entry of the trainer child process. The extension host forks one per running run, with an IPC
// channel; every message goes through TrainerServer, which validates it. The process ends on
// `shutdown`, when the host disconnects, or on SIGTERM / SIGINT (each stops its run first).
import {
  AnalysisEvent,
  AnalyzeTextRequest,
  PairedAnalysisRequest,
  CheckpointEvent,
  ControlRunRequest,
  EvaluationEvent,
  FinishedEvent,
  HelloRequest,
  LogEvent,
  PROTOCOL_VERSION,
  ProgressEvent,
  ShutdownRequest,
  StartRunRequest,
  StatusEvent,
  type BackendReport,
  type TrainerToHostMessage,
} from './protocol';
import { TrainerServer, UserError } from './server';
import { selectProcessBackend } from './backend/processBackend';
import { measureAtRunEnd } from './serving/measureRun';
import { trainerVersions } from './versions';
import { readRunRecord } from './runs/runStore';
import { parseRunConfig } from './config/effective';
import { TrainingSession } from './session/trainingSession';
import { acquireRunLock } from './runs/runLock';
import { resolveTeacherCache } from './perf/teacherCacheSetting';
import { resolveTeacherStore } from './perf/teacherStoreSetting';
import { analyzeText } from './session/analyzeText';
import { runPairedAnalysis } from './session/analysisStep';

function runBackendSetting(runDir: string): 'auto' | 'tensorflow' | 'wasm' | 'cpu' {
  const record = readRunRecord(runDir);
  return parseRunConfig(record.config, `${runDir}/run.json (config)`).backend;
}

if (!process.send) {
  console.error('The trainer is started by the LRC Distill extension over IPC; use `lrc-distill` (dist/cli.js) from a terminal.');
  process.exit(2);
}

const send = (msg: TrainerToHostMessage) => {
  if (process.connected) process.send!(msg);
};
const server = new TrainerServer(send);
let backend: BackendReport | undefined;
let session: TrainingSession | undefined;

server.on(HelloRequest, async ({ backend: force }) => {
  backend ??= await selectProcessBackend(force);
  return { protocolVersion: PROTOCOL_VERSION, pid: process.pid, backend, versions: trainerVersions() };
});

server.on(StartRunRequest, async ({ runDir, resume }) => {
  if (session) throw new UserError(`this trainer already runs ${session.runDir}; start another trainer for another run`, 'runDir');
  // the run folder's claim lock, as the CLI takes it (trainer/runs/runLock.ts): a run that another process
  // trains or resumes (a terminal's lrc-distill, another window) is refused with the holder's pid and host
  readRunRecord(runDir); // a folder that is not a run's says so before any lock is made in it
  const lock = acquireRunLock(runDir, (message) => server.emit(LogEvent, { level: 'warn', message }));
  let s: TrainingSession;
  try {
    // The run config's backend, unless hello already chose one for this process.
    const configured = runBackendSetting(runDir);
    backend ??= await selectProcessBackend(configured);
    s = new TrainingSession(runDir, {
      resume,
      backend,
      versions: trainerVersions(),
      teacherCache: resolveTeacherCache(undefined), // LRC_TEACHER_CACHE, else 'auto'
      teacherStore: resolveTeacherStore(undefined, undefined), // LRC_TEACHER_STORE(_DTYPE), else 'auto', float32
      // the serving cost of its export (issue 23), a few seconds, before the run is marked finished
      afterExport: () => measureAtRunEnd(runDir, backend!, (message) => server.emit(LogEvent, { level: 'info', message })),
      events: {
        log: (level, message) => server.emit(LogEvent, { level, message }),
        progress: (p) => server.emit(ProgressEvent, p),
        evaluation: (e) => server.emit(EvaluationEvent, e),
        checkpoint: (c) => server.emit(CheckpointEvent, c),
        status: (st) => server.emit(StatusEvent, st),
        analysis: (a) => server.emit(AnalysisEvent, a),
      },
    });
  } catch (e) {
    lock.release();
    throw e;
  }
  session = s;
  // The run goes on after this request is answered; its end is the `finished` event.
  s.run()
    .then((record) => server.emit(FinishedEvent, { runId: record.id, status: record.status, best: record.best }))
    .catch((e: Error) => server.emit(FinishedEvent, { runId: s.runId, status: 'failed', error: e.message }))
    .finally(() => {
      lock.release();
      session = undefined;
    });
  return { runId: s.runId };
});

server.on(ControlRunRequest, (request) => {
  if (!session) throw new UserError('no run is running in this trainer', 'control');
  session.control(request);
  return {};
});

server.on(AnalyzeTextRequest, async ({ runDir, text, textPair }) => {
  backend ??= await selectProcessBackend(undefined);
  return analyzeText(runDir, text, textPair);
});

server.on(PairedAnalysisRequest, async ({ lrcRunDir, mseRunDir }) => {
  backend ??= await selectProcessBackend(undefined);
  return { file: await runPairedAnalysis(lrcRunDir, mseRunDir, (message) => server.emit(LogEvent, { level: 'info', message })) };
});

/** Stops the running session (it checkpoints first), then ends the process once it is idle. */
function stopAndExit(): void {
  if (session) session.control({ type: 'stop' });
  const exitWhenIdle = () => (session ? setTimeout(exitWhenIdle, 100) : process.exit(0));
  setImmediate(exitWhenIdle); // after the answer to shutdown has gone out
}

server.on(ShutdownRequest, () => {
  stopAndExit();
  return {};
});

process.on('message', (raw) => void server.receive(raw));
// The host is gone: save what can be saved, then leave.
process.on('disconnect', stopAndExit);
// A kill from outside (SIGTERM, Ctrl-C in a terminal that started it): the run stops as on `shutdown`
// (after a checkpoint, or at the next set-up point) and is marked stopped, not left running.
process.on('SIGTERM', stopAndExit);
process.on('SIGINT', stopAndExit);
