// The sweeps of the workspace, live: the sweep folders (`.lrc/sweeps/`, beside the runs folder) read with
// their runs' states, kept until something changes. Changes come from a file watcher on the sweeps
// folder (a new sweep, sweep.json rewritten by a submission, a cancel or the pool's start and end), one
// on the run.json and serving.json files of the runs folder, and for a Slurm sweep with live jobs from
// the scheduler, asked every ~10 s through `lrc-distill sweep status <sweep> --json` in a child process
// (the Slurm commands block, so they never run in the extension host). The explorer, the sweep panels, the
// CodeLens and the report documents listen to onDidChange.
import * as vscode from 'vscode';
import { relative, sep } from 'node:path';
import { defaultSweepsDir, findSweepDir, listSweeps } from '../../trainer/sweep/sweepStore';
import { UserError } from '../../trainer/server';
import { runsFolder, workspaceFolder } from '../settings';
import type { CliRunner } from '../trainer/cliProcess';
import { Disposable } from '../util/disposable';
import { parseCliStatus, sweepStateOf, type SchedulerSnapshot, type SweepState } from './sweepState';

/** How often the scheduler is asked about a Slurm sweep with live jobs, and after a failed answer. */
export const SLURM_POLL_MS = 10_000;
const SLURM_RETRY_MS = 60_000;
/** A `sweep status` that has not answered after this long is killed (a hung slurmctld). */
const SLURM_STATUS_TIMEOUT_MS = 90_000;
/** While a sweep is live, its state is read again this often even without a file event (a pool killed
 *  with SIGKILL writes nothing). */
const LIVE_RECHECK_MS = 5_000;

export function sweepsFolder(): string | undefined {
  const runs = runsFolder();
  return runs ? defaultSweepsDir(runs) : undefined;
}

export class SweepService extends Disposable {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  /** The sweeps or their runs changed (throttled to one event per 300 ms). */
  readonly onDidChange = this.changed.event;
  private cache: { states: SweepState[]; broken: string[]; at: number } | undefined;
  private readonly snapshots = new Map<string, SchedulerSnapshot>();
  private readonly polling = new Map<string, vscode.CancellationTokenSource>();
  private watchers: vscode.Disposable[] = [];
  private pending: NodeJS.Timeout | undefined;
  private lastKey = '';
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly cli: CliRunner,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this.watch();
    this.register(vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('lrcDistill.runsFolder')) {
        this.watch();
        this.changedNow();
      }
    }));
    this.timer = setInterval(() => this.tick(), 1_000);
    this.register({
      dispose: () => {
        clearInterval(this.timer);
        if (this.pending) clearTimeout(this.pending);
        for (const w of this.watchers) w.dispose();
        for (const p of this.polling.values()) p.cancel();
      },
    });
  }

  /** Every sweep of the workspace, newest first. */
  states(): SweepState[] {
    return this.read().states;
  }

  /** Sweep folders that could not be read, with the reason. */
  get broken(): readonly string[] {
    return this.read().broken;
  }

  /** A sweep by id, unique id prefix, name (the newest of that name) or folder; undefined if there is none. */
  get(ref: string): SweepState | undefined {
    const states = this.states();
    const exact = states.find((s) => s.record.id === ref || s.dir === ref);
    if (exact) return exact;
    const dir = this.sweepsDir();
    if (!dir) return undefined;
    try {
      const found = findSweepDir(dir, ref);
      return states.find((s) => s.dir === found);
    } catch {
      return undefined;
    }
  }

  /** Like get(), but an error that names what was asked for. */
  require(ref: string): SweepState {
    const s = this.get(ref);
    if (!s) throw new UserError(`no sweep '${ref}' in ${this.sweepsDir() ?? 'this workspace (open a folder first)'}`, 'sweep');
    return s;
  }

  sweepsDir(): string | undefined {
    return sweepsFolder();
  }

  /** Reads everything again now and tells the listeners. */
  refresh(): void {
    this.changedNow();
  }

  /** Asks the scheduler about a Slurm sweep now (after a submission, a resume, a cancel). */
  pollNow(sweepId: string): void {
    const s = this.states().find((x) => x.record.id === sweepId);
    if (s && s.record.executor === 'slurm') void this.poll(s);
  }

  private read(): { states: SweepState[]; broken: string[] } {
    if (this.cache) return this.cache;
    const dir = this.sweepsDir();
    let states: SweepState[] = [];
    let broken: string[] = [];
    if (dir) {
      const listed = listSweeps(dir);
      broken = listed.broken.map((b) => b.error);
      states = listed.sweeps.flatMap(({ dir: d, record }) => {
        try {
          return [sweepStateOf(d, record, this.snapshots.get(record.id))];
        } catch (e) {
          broken.push(`${d}: ${(e as Error).message}`);
          return [];
        }
      });
    }
    this.cache = { states, broken, at: Date.now() };
    return this.cache;
  }

  /** Once a second: polls that are due, and a fresh read of live sweeps every few seconds. */
  private tick(): void {
    const now = Date.now();
    if (this.cache && this.cache.states.some((s) => s.live) && now - this.cache.at > LIVE_RECHECK_MS) {
      this.cache = undefined;
      this.fireIfChanged();
    }
    for (const s of this.cache?.states ?? []) {
      if (s.record.executor !== 'slurm' || s.record.submissions.length === 0 || this.polling.has(s.record.id)) continue;
      const last = this.snapshots.get(s.record.id);
      const due = !last || (last.error ? now - last.at >= SLURM_RETRY_MS : s.live && now - last.at >= SLURM_POLL_MS);
      if (due) void this.poll(s);
    }
  }

  private async poll(s: SweepState): Promise<void> {
    const id = s.record.id;
    if (this.polling.has(id)) return;
    const runs = runsFolder();
    const sweeps = this.sweepsDir();
    if (!runs || !sweeps) return;
    const cancel = new vscode.CancellationTokenSource();
    this.polling.set(id, cancel);
    const timeout = setTimeout(() => cancel.cancel(), SLURM_STATUS_TIMEOUT_MS);
    const previous = this.snapshots.get(id);
    try {
      const r = await this.cli.run(['sweep', 'status', s.dir, '--json', '--runs', runs, '--sweeps', sweeps], workspaceFolder() ?? s.record.cwd, cancel.token);
      if (this.isDisposed) return;
      if (r.code === 0) {
        const answer = parseCliStatus(r.stdout);
        this.snapshots.set(id, { at: Date.now(), runs: new Map(answer.map((a) => [a.runId, a])) });
      } else {
        const why = r.signal ? `sweep status was stopped (${r.signal})` : (r.stderr.trim().split('\n').filter(Boolean).pop() ?? `exit code ${r.code}`).replace(/^lrc-distill: /, '');
        if (previous?.error !== why) this.log.warn(`sweep ${id}: asking Slurm failed: ${why}`);
        this.snapshots.set(id, { at: Date.now(), runs: previous?.runs ?? new Map(), error: why });
      }
    } catch (e) {
      this.snapshots.set(id, { at: Date.now(), runs: previous?.runs ?? new Map(), error: (e as Error).message });
    } finally {
      clearTimeout(timeout);
      cancel.dispose();
      this.polling.delete(id);
    }
    this.changedNow();
  }

  private watch(): void {
    for (const w of this.watchers) w.dispose();
    this.watchers = [];
    const runs = runsFolder();
    const sweeps = this.sweepsDir();
    if (!runs || !sweeps) return;
    const folder = vscode.workspace.workspaceFolders?.[0];
    const patternOf = (dir: string, glob: string) => {
      const inside = folder && !relative(folder.uri.fsPath, dir).startsWith('..');
      return inside
        ? new vscode.RelativePattern(folder, `${relative(folder.uri.fsPath, dir).split(sep).join('/')}/${glob}`)
        : new vscode.RelativePattern(vscode.Uri.file(dir), glob);
    };
    // The sweeps folder: a sweep folder renamed into place, its sweep.json; not the workers' logs.
    const sweepWatcher = vscode.workspace.createFileSystemWatcher(patternOf(sweeps, '**'));
    const onSweepEvent = (uri: vscode.Uri) => {
      const parts = relative(sweeps, uri.fsPath).split(sep);
      if (parts[0].startsWith('.') || parts[0].startsWith('..')) return;
      if (parts.length === 1 || (parts.length === 2 && parts[1] === 'sweep.json')) this.changedSoon();
    };
    // run.json, and serving.json: a run's serving cost, written at its end or by `sweep measure` (the front).
    const runWatcher = vscode.workspace.createFileSystemWatcher(patternOf(runs, '*/{run.json,serving.json}'));
    for (const w of [sweepWatcher, runWatcher]) this.watchers.push(w);
    const onRunEvent = () => this.changedSoon();
    sweepWatcher.onDidCreate(onSweepEvent);
    sweepWatcher.onDidChange(onSweepEvent);
    sweepWatcher.onDidDelete(onSweepEvent);
    runWatcher.onDidCreate(onRunEvent);
    runWatcher.onDidChange(onRunEvent);
    runWatcher.onDidDelete(onRunEvent);
  }

  private changedSoon(): void {
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.changedNow();
    }, 300);
  }

  private changedNow(): void {
    this.cache = undefined;
    if (this.isDisposed) return;
    this.lastKey = this.key();
    this.changed.fire();
  }

  /** Fires only when what the views show changed (counts, live, a member's state or detail). */
  private fireIfChanged(): void {
    const key = this.key();
    if (key === this.lastKey) return;
    this.lastKey = key;
    this.changed.fire();
  }

  private key(): string {
    return JSON.stringify(this.states().map((s) => [s.record.id, s.live, s.members.map((m) => [m.state, m.detail])]));
  }
}
