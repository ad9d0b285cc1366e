// The runs the extension trains: one trainer child process (RunProcess) per running run. Starts runs
// (createRun, then startRun), resumes them, steers them (IPC for its own children, the run's
// control.jsonl for live runs another process owns, such as the CLI), runs plans in order (a teacher
// first, then the student and its baseline), and notices a child that exits or hangs while its run is
// live: the run is then marked crashed and can be resumed from its last checkpoint.
import * as vscode from 'vscode';
import { join } from 'node:path';
import { baselineConfigOf, parseRunConfig } from '../../trainer/config/effective';
import {
  ControlRequestSchema,
  EvaluationEvent,
  FinishedEvent,
  LogEvent,
  ProgressEvent,
  StatusEvent,
  type BackendName,
  type BackendReport,
  type ControlRequest,
  type EventMessage,
  type Progress,
} from '../../trainer/protocol';
import { LIVE_STATUSES, type RunRecord } from '../../trainer/runs/runRecord';
import { createRun, listRuns, readRun, shortRunId, updateRun } from '../../trainer/runs/runStore';
import { ownerIsGone } from '../../trainer/runs/liveness';
import { describeZodError, UserError } from '../../trainer/server';
import { appendControl } from '../runs/controlFile';
import { resolveConfigPaths, validatePlan, type RunPlan } from '../runs/runPlan';
import { backendSetting, requireRunsFolder, runsFolder, trainerPerfEnv, trainerTimeoutMs, workspaceFolder } from '../settings';
import { Disposable } from '../util/disposable';
import { RunProcess } from './runProcess';

export const UNTRUSTED_MESSAGE =
  'LRC Distill starts its trainer only in a trusted workspace: the trainer executes code and reads the data and model files of this folder. Trust the workspace (Workspaces: Manage Workspace Trust) to start or resume runs.';

export interface RunEvent {
  runId: string;
  message: EventMessage;
}

/** What a notification about a run may offer. */
export interface RunNotifier {
  error(message: string, runId?: string): void;
  info(message: string): void;
}

export const isLive = (r: Pick<RunRecord, 'status'>): boolean => LIVE_STATUSES.includes(r.status);

export class RunManager extends Disposable {
  private readonly processes = new Map<string, RunProcess>();
  private readonly progress = new Map<string, Progress>();
  /** Runs whose child is meant to exit now (finished, stopped, failed to start). */
  private readonly expectedExit = new Set<string>();
  /** Runs to start when a run finishes (a plan's teacher, then its student, then the baseline). */
  private readonly next = new Map<string, string[]>();
  private readonly events = this.register(new vscode.EventEmitter<RunEvent>());
  private readonly changed = this.register(new vscode.EventEmitter<string>());
  private readonly reported = this.register(new vscode.EventEmitter<BackendReport>());
  private snapshotRuns: RunRecord[] = [];
  private lastStarted: string | undefined;
  private readonly poll: NodeJS.Timeout;

  /** Every event of every child, with the run it belongs to. */
  readonly onDidEvent = this.events.event;
  /** A run started, ended, crashed or changed state (also runs of other processes, seen by polling). */
  readonly onDidChangeRun = this.changed.event;
  /** The backend report of each run's trainer child as it starts. */
  readonly onDidReportBackend = this.reported.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly output: vscode.LogOutputChannel,
    private readonly notify: RunNotifier,
    private readonly onStoreChanged: () => void,
  ) {
    super();
    this.poll = setInterval(() => this.checkStore(), 2_000);
    this.register({ dispose: () => {
      clearInterval(this.poll);
      if (this.checkPending) clearTimeout(this.checkPending);
    } });
  }

  runsDir(): string {
    return requireRunsFolder();
  }

  runDir(runId: string): string {
    return join(this.runsDir(), runId);
  }

  read(runId: string): RunRecord {
    return readRun(this.runDir(runId));
  }

  isOwned(runId: string): boolean {
    return this.processes.has(runId);
  }

  pidOf(runId: string): number | undefined {
    return this.processes.get(runId)?.pid;
  }

  get ownedRunIds(): string[] {
    return [...this.processes.keys()];
  }

  /** The latest progress event of a run this extension trains. */
  lastProgressOf(runId: string): Progress | undefined {
    return this.progress.get(runId);
  }

  /** The run that started last in this window, if any. */
  get lastStartedRunId(): string | undefined {
    return this.lastStarted;
  }

  /** The runs of the store as the last poll saw them (newest first). */
  get snapshot(): readonly RunRecord[] {
    return this.snapshotRuns;
  }

  requireTrust(): void {
    if (!vscode.workspace.isTrusted) throw new UserError(UNTRUSTED_MESSAGE, 'workspace trust');
  }

  /** Creates the run folders of a plan, in the order they should run. Paths resolve against `base`. */
  createPlan(plan: RunPlan, base: string, source = 'config'): RunRecord[] {
    validatePlan(plan, source);
    const runsDir = this.runsDir();
    const created: RunRecord[] = [];
    let teacherRunId: string | undefined;
    if (plan.teacher) {
      const raw = resolveConfigPaths(plan.teacher, base);
      const c = parseRunConfig(raw, `${source} (teacher)`);
      const t = createRun(runsDir, { kind: 'teacher', name: c.name, config: raw });
      created.push(t);
      teacherRunId = t.id;
    }
    const raw = resolveConfigPaths(teacherRunId ? { ...plan.run, teacher: { runId: teacherRunId } } : plan.run, base);
    const config = parseRunConfig(raw, source);
    const main = createRun(runsDir, { kind: config.kind, name: config.name, preset: config.preset, config: raw, teacher: config.teacher, pairedRunId: config.pairedRunId });
    created.push(main);
    if (plan.baseline) {
      const mseRaw: Record<string, unknown> = { ...raw, kind: 'mse', pairedRunId: main.id, name: baselineConfigOf(config).name };
      delete mseRaw.preset;
      const mse = parseRunConfig(mseRaw, `${source} (baseline)`);
      const baseline = createRun(runsDir, { kind: 'mse', name: mse.name, config: mseRaw, teacher: mse.teacher, pairedRunId: main.id });
      created[created.length - 1] = updateRun(join(runsDir, main.id), (r) => ({ ...r, pairedRunId: baseline.id }));
      created.push(baseline);
    }
    for (const r of created) this.output.info(`created ${r.kind} run ${r.id} (${r.name})`);
    this.onStoreChanged();
    return created;
  }

  /** Starts the given runs one after another: each when the one before it has finished. */
  async startInOrder(runIds: string[]): Promise<void> {
    const [first, ...rest] = runIds;
    if (!first) return;
    if (rest.length) this.next.set(first, rest);
    try {
      await this.start(first, false);
    } catch (e) {
      this.next.delete(first);
      throw e;
    }
  }

  /** Starts a queued run, resumes a stopped, crashed or failed one, or resumes a paused one. */
  async startOrResume(runId: string): Promise<'started' | 'resumed'> {
    const record = this.read(runId);
    if (record.status === 'paused') {
      await this.control(runId, { type: 'resume' });
      return 'resumed';
    }
    await this.start(runId, record.status !== 'queued');
    return record.status === 'queued' ? 'started' : 'resumed';
  }

  /** Starts (or with `resume`, continues from its last checkpoint) a run in a new trainer child. */
  async start(runId: string, resume: boolean): Promise<void> {
    this.requireTrust();
    if (this.processes.has(runId)) throw new UserError(`run ${runId} is already running in this window`, 'run');
    const dir = this.runDir(runId);
    const record = readRun(dir);
    if (isLive(record)) throw new UserError(`run ${record.name} (${runId}) is ${record.status} in process ${record.owner?.pid ?? '?'}: it cannot run twice`, 'run');
    if (record.status === 'finished') throw new UserError(`run ${record.name} (${runId}) has finished: nothing to ${resume ? 'resume' : 'start'}`, 'run');
    const config = parseRunConfig(record.config, `${dir}/run.json (config)`);
    const setting = backendSetting();
    const backend: BackendName | undefined = config.backend !== 'auto' ? config.backend : setting !== 'auto' ? setting : undefined;
    const tag = shortRunId(runId);
    const proc: RunProcess = new RunProcess(runId, dir, {
      script: vscode.Uri.joinPath(this.extensionUri, 'dist', 'trainer.js').fsPath,
      cwd: workspaceFolder() ?? this.runsDir(),
      log: (line) => this.output.info(`[${tag}] ${line}`),
      timeoutMs: trainerTimeoutMs(),
      env: trainerPerfEnv(this.processes.size),
      pingEveryMs: Math.min(15_000, trainerTimeoutMs() / 2),
      onEvent: (msg) => this.onEvent(runId, msg),
      onExit: (info) => this.onExit(runId, proc, info),
    });
    this.processes.set(runId, proc);
    this.lastStarted = runId;
    this.changed.fire(runId);
    try {
      const hello = await proc.start(resume, backend);
      this.output.info(`[${tag}] ${resume ? 'resumed' : 'started'} ${record.kind} run ${runId} in trainer pid ${hello.pid} on ${hello.backend.backend} (${hello.backend.device})`);
      this.reported.fire(hello.backend);
    } catch (e) {
      this.expectedExit.add(runId);
      proc.kill();
      if (this.processes.get(runId) === proc) this.processes.delete(runId);
      this.next.delete(runId);
      this.changed.fire(runId);
      throw e;
    } finally {
      this.onStoreChanged();
    }
  }

  /** A control request: over IPC to a run of this window, else as a line of the run's control.jsonl. */
  async control(runId: string, request: ControlRequest): Promise<'ipc' | 'control.jsonl'> {
    const parsed = ControlRequestSchema.safeParse(request);
    if (!parsed.success) throw new UserError(`control request ${JSON.stringify(request)}: ${describeZodError(parsed.error)}`, 'control');
    const proc = this.processes.get(runId);
    let via: 'ipc' | 'control.jsonl';
    if (proc) {
      await proc.control(parsed.data);
      via = 'ipc';
    } else {
      const record = this.read(runId);
      if (!isLive(record)) throw new UserError(`run ${record.name} (${runId}) is ${record.status}: only a running or paused run takes '${request.type}'`, 'run');
      appendControl(this.runDir(runId), parsed.data);
      via = 'control.jsonl';
    }
    this.output.info(`[${shortRunId(runId)}] sent ${JSON.stringify(parsed.data)} (${via})`);
    return via;
  }

  /** Stops every run of this window gracefully (checkpoint first), killing what has not ended in time. */
  async shutdown(timeoutMs = 4_000): Promise<void> {
    const procs = [...this.processes.entries()];
    this.next.clear();
    await Promise.all(
      procs.map(async ([runId, proc]) => {
        this.expectedExit.add(runId);
        await proc.control({ type: 'stop' }).catch(() => undefined);
        const ended = new Promise<void>((resolve) => {
          const check = setInterval(() => {
            if (!proc.running) {
              clearInterval(check);
              resolve();
            }
          }, 50);
          setTimeout(() => {
            clearInterval(check);
            resolve();
          }, timeoutMs);
        });
        await ended;
        await proc.stop(500);
      }),
    );
  }

  override dispose(): void {
    for (const proc of this.processes.values()) proc.dispose();
    this.processes.clear();
    super.dispose();
  }

  private onEvent(runId: string, msg: EventMessage): void {
    const tag = `[${shortRunId(runId)}]`;
    if (LogEvent.is(msg)) {
      const { level, message } = msg.data;
      this.output[level](`${tag} ${message}`);
    } else if (ProgressEvent.is(msg)) {
      this.progress.set(runId, msg.data);
      this.output.trace(`${tag} step ${msg.data.step}/${msg.data.totalSteps} stage ${msg.data.stage} loss ${msg.data.clean.total.toFixed(4)}`);
    } else if (EvaluationEvent.is(msg)) {
      const m = Object.entries(msg.data.metrics).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(', ');
      this.output.info(`${tag} evaluation at step ${msg.data.step}: ${m}${msg.data.best ? ' (best so far)' : ''}`);
    } else if (StatusEvent.is(msg)) {
      this.output.info(`${tag} status ${msg.data.status}${msg.data.error ? `: ${msg.data.error.message}` : ''}`);
      if (msg.data.status === 'failed') this.notify.error(`run ${runId} failed: ${msg.data.error?.message ?? 'see the log'}`, runId);
      this.onStoreChanged();
      this.changed.fire(runId);
    } else if (FinishedEvent.is(msg)) {
      this.onFinished(runId, msg.data.status);
    }
    this.events.fire({ runId, message: msg });
  }

  private onFinished(runId: string, status: string): void {
    this.expectedExit.add(runId);
    void this.processes.get(runId)?.stop();
    const rest = this.next.get(runId);
    this.next.delete(runId);
    if (!rest?.length) return;
    if (status !== 'finished') {
      this.notify.info(`run ${runId} ended ${status}: ${rest.join(', ')} stay${rest.length === 1 ? 's' : ''} queued; start ${rest.length === 1 ? 'it' : 'them'} when you want.`);
      return;
    }
    void this.startInOrder(rest).catch((e: Error) => this.notify.error(`could not start run ${rest[0]}: ${e.message}`, rest[0]));
  }

  private onExit(runId: string, proc: RunProcess, info: { code: number | null; signal: NodeJS.Signals | null }): void {
    if (this.processes.get(runId) !== proc) return;
    this.processes.delete(runId);
    const expected = this.expectedExit.delete(runId);
    const how = info.signal ?? `code ${info.code}`;
    try {
      const dir = this.runDir(runId);
      let record = readRun(dir); // a live run whose pid is gone is marked crashed here
      if (isLive(record)) {
        // judged again under the record's lock: a run another process claimed meanwhile is left alone
        record = updateRun(dir, (r) => (!isLive(r) || !ownerIsGone(r) ? r : {
          ...r, status: 'crashed', owner: undefined, endedAt: new Date().toISOString(),
          error: { message: `the trainer process exited (${how}) while the run was ${r.status}; resume it from its last checkpoint` },
        }));
      }
      if (record.status === 'crashed' && !expected) {
        this.output.error(`[${shortRunId(runId)}] trainer exited (${how}) while the run was live: marked crashed`);
        this.notify.error(`run ${record.name} (${runId}) crashed: its trainer exited (${how}). Resume it from its last checkpoint.`, runId);
      }
    } catch (e) {
      this.output.error(`[${shortRunId(runId)}] after the trainer exited: ${(e as Error).message}`);
    }
    this.next.delete(runId);
    this.onStoreChanged();
    this.changed.fire(runId);
  }

  /** Looks at the store now (the explorer's file watcher saw a change), not at the next poll. */
  checkStoreSoon(): void {
    if (this.checkPending) return;
    this.checkPending = setTimeout(() => {
      this.checkPending = undefined;
      if (!this.isDisposed) this.checkStore();
    }, 100);
  }

  private checkPending: NodeJS.Timeout | undefined;

  /** Polls the store: marks runs crashed whose process vanished (CLI runs too) and reports changes. */
  private checkStore(): void {
    const dir = runsFolder();
    if (!dir) return;
    let runs: RunRecord[];
    try {
      runs = listRuns(dir).runs;
    } catch {
      return;
    }
    const before = new Map(this.snapshotRuns.map((r) => [r.id, `${r.status}:${r.progress.step}:${r.progress.stage}`]));
    this.snapshotRuns = runs;
    let storeChanged = false;
    for (const r of runs) {
      const key = `${r.status}:${r.progress.step}:${r.progress.stage}`;
      if (before.get(r.id) === key) continue;
      if (!before.has(r.id) || before.get(r.id)?.split(':')[0] !== r.status) storeChanged = true;
      this.changed.fire(r.id);
    }
    if (storeChanged || before.size !== runs.length) this.onStoreChanged();
  }
}
