// The sweep commands: Run Sweep (a sweep file and an executor; `lrc-distill sweep <file>` in a process
// of its own), Dry Run Sweep (the planned runs), Open Sweep (the panel), Cancel, Resume and Sweep
// Report. Each takes its sweep from the argument (a sweep node, { sweepId }, an id, name or folder),
// else the sweep selected in the Runs view, else a pick of the sweeps that fit.
import * as vscode from 'vscode';
import { basename, dirname, extname, relative } from 'node:path';
import { UserError } from '../../trainer/server';
import { SweepPanel, type SweepPanelDeps } from '../panels/sweepPanel';
import { requireRunsFolder, workspaceFolder } from '../settings';
import { reportUri, type SweepDocuments } from '../sweeps/sweepDocuments';
import type { Launch, SweepLauncher } from '../sweeps/sweepLauncher';
import type { SweepService } from '../sweeps/sweepService';
import { countsText, type SweepState } from '../sweeps/sweepState';
import { SweepNode } from '../views/sweepTreeItems';
import { guarded, type CommandContext, type CommandFactory } from './context';

/** What the sweep commands work with, beside the common context. */
export interface SweepTools {
  service: SweepService;
  launcher: SweepLauncher;
  documents: SweepDocuments;
  /** "LRC Sweeps": the output of the sweep processes. */
  output: vscode.OutputChannel;
  panels: SweepPanelDeps;
}

type Executor = 'local' | 'slurm';

interface SweepFilter {
  /** In the quick pick's title: "to cancel". */
  purpose: string;
  fits: (s: SweepState) => boolean;
  /** Why a given sweep does not fit. */
  rule: string;
}

export const FILTERS = {
  any: { purpose: 'to open', fits: () => true, rule: '' },
  live: { purpose: 'to cancel', fits: (s) => s.live, rule: 'only a live sweep (runs running or queued in a live pool or scheduler) can be cancelled' },
  resumable: { purpose: 'to resume', fits: (s) => !s.live && !s.done, rule: 'only a sweep that is not live and has runs left to finish can be resumed' },
} satisfies Record<string, SweepFilter>;

const sweepIcon = (s: SweepState) => (s.live ? 'sync' : s.done ? 'pass' : s.counts.failed ? 'error' : 'debug-pause');

/** The sweep an argument names: a sweep node, { sweepId }, { sweepDir }, or an id, name or folder. */
function sweepRefOf(arg: unknown): string | undefined {
  if (typeof arg === 'string' && arg) return arg;
  if (arg instanceof SweepNode) return arg.state.record.id;
  if (typeof arg !== 'object' || arg === null) return undefined;
  const a = arg as Record<string, unknown>;
  for (const k of ['sweepId', 'sweepDir', 'sweep']) if (typeof a[k] === 'string' && a[k]) return a[k] as string;
  return undefined;
}

export async function pickSweep(ctx: CommandContext, arg: unknown, filter: SweepFilter): Promise<SweepState | undefined> {
  const service = ctx.sweeps.service;
  const ref = sweepRefOf(arg);
  if (ref) {
    const s = service.require(ref);
    if (!filter.fits(s)) throw new UserError(`sweep ${s.record.name} (${s.record.id}) is ${s.live ? 'live' : s.done ? 'done' : 'not running'} (${countsText(s.counts)}): ${filter.rule}`, 'sweep');
    return s;
  }
  const selected = ctx.treeView?.selection.find((n): n is SweepNode => n instanceof SweepNode);
  if (selected) {
    const s = service.get(selected.state.record.id);
    if (s && filter.fits(s)) return s;
  }
  const fitting = service.states().filter(filter.fits);
  if (fitting.length === 0) {
    void vscode.window.showInformationMessage(`LRC Distill: no sweep ${filter.purpose}${filter.rule ? `: ${filter.rule}` : ''}.`);
    return undefined;
  }
  const items = fitting.map((s) => ({
    label: `$(${sweepIcon(s)}) ${s.record.name}`,
    description: `${s.record.executor} · ${countsText(s.counts)}`,
    detail: s.record.id,
    state: s,
  }));
  const choice = await vscode.window.showQuickPick(items, { title: `LRC: pick a sweep ${filter.purpose}`, placeHolder: 'Sweeps of this workspace, newest first', matchOnDetail: true });
  return choice?.state;
}

/** The sweep file an argument names (a Uri from a menu or a CodeLens, a path, { file }), else the user's pick. */
async function pickSweepFile(arg: unknown): Promise<string | undefined> {
  if (arg instanceof vscode.Uri) return arg.fsPath;
  if (typeof arg === 'string' && arg) return arg;
  if (typeof arg === 'object' && arg !== null && typeof (arg as { file?: unknown }).file === 'string') return (arg as { file: string }).file;
  const ws = workspaceFolder();
  const found = await vscode.workspace.findFiles('**/*.sweep.json', '**/{node_modules,.lrc,.git}/**', 500);
  const active = vscode.window.activeTextEditor?.document.uri.fsPath;
  const files = found.map((u) => u.fsPath).sort((a, b) => (a === active ? -1 : b === active ? 1 : a.localeCompare(b)));
  const browse = { label: '$(folder-opened) Choose a JSON file…', description: 'any sweep file, also one outside this folder', file: '' };
  const items = [
    ...files.map((f) => ({ label: `$(json) ${basename(f)}`, description: ws ? relative(ws, dirname(f)) || '.' : dirname(f), file: f })),
    browse,
  ];
  const choice = await vscode.window.showQuickPick(items, { title: 'LRC: Run Sweep — the sweep file', placeHolder: files.length ? 'Sweep files (*.sweep.json) of this workspace' : 'No *.sweep.json in this workspace: choose a JSON file' });
  if (!choice) return undefined;
  if (choice.file) return choice.file;
  const picked = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'Sweep file': ['json'] }, openLabel: 'Run this sweep', title: 'LRC: the sweep file' });
  return picked?.[0]?.fsPath;
}

async function pickExecutor(file: string, given: unknown): Promise<Executor | undefined> {
  if (given === 'local' || given === 'slurm') return given;
  if (given !== undefined) throw new UserError(`executor '${String(given)}': expected local or slurm`, 'executor');
  const items: (vscode.QuickPickItem & { executor: Executor })[] = [
    { label: '$(server-process) Local pool', description: 'on this machine', detail: 'worker processes here (the file\'s local.workers, else one per core); goes on when this window closes', executor: 'local' },
    { label: '$(server) Slurm', description: 'job arrays with sbatch', detail: 'one job array per stage (teachers first); needs the Slurm client commands on this machine', executor: 'slurm' },
  ];
  return (await vscode.window.showQuickPick(items, { title: `LRC: Run Sweep ${basename(file)} — where`, placeHolder: 'The executor' }))?.executor;
}

/** The CLI's flags that name this workspace's runs and sweeps folders. */
export function folderFlags(ctx: CommandContext): string[] {
  const sweeps = ctx.sweeps.service.sweepsDir();
  return ['--runs', requireRunsFolder(), ...(sweeps ? ['--sweeps', sweeps] : [])];
}

export const cwdOf = (file?: string) => workspaceFolder() ?? (file ? dirname(file) : process.cwd());

/** Saves an open, modified sweep file first: the CLI reads it from the disk. */
async function saveIfDirty(file: string): Promise<void> {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === file);
  if (doc?.isDirty) await doc.save();
}

/** An error of the CLI about a sweep file (exit 2: one line naming the file and the field). */
function showFileError(ctx: CommandContext, message: string, file?: string): void {
  ctx.output.error(`sweep: ${message}`);
  void vscode.window.showErrorMessage(`LRC Distill: ${message}`, ...(file ? ['Open Sweep File'] : []), 'Show Output').then((choice) => {
    if (choice === 'Open Sweep File' && file) void vscode.window.showTextDocument(vscode.Uri.file(file));
    if (choice === 'Show Output') ctx.sweeps.output.show(true);
  });
}

async function revealSweep(ctx: CommandContext, sweepId: string): Promise<void> {
  ctx.sweeps.service.refresh();
  const node = ctx.runs.sweepNodes().find((n) => n.state.record.id === sweepId);
  if (node && ctx.treeView) await Promise.resolve(ctx.treeView.reveal(node, { select: false, focus: false, expand: true })).catch(() => undefined);
}

/** When a sweep process ends (a local pool when its runs are done, a Slurm submission at once): say how. */
function reportEnd(ctx: CommandContext, launch: Launch, sweepId: string | undefined): void {
  void launch.exited.then((exit) => {
    const tools = ctx.sweeps;
    tools.service.refresh();
    if (sweepId) tools.service.pollNow(sweepId);
    const state = sweepId ? tools.service.get(sweepId) : undefined;
    const name = state?.record.name ?? sweepId ?? 'sweep';
    const summary = [...exit.lines].reverse().find((l) => /^sweep \S+: \d+ finished/.test(l) || /^submitted /.test(l) || /^nothing to submit/.test(l));
    const submitted = state?.record.executor === 'slurm' && exit.code === 0;
    const actions = !sweepId ? ['Show Output'] : submitted ? ['Open Sweep', 'Show Output'] : ['Open Sweep', 'Open Report'];
    const act = (choice: string | undefined) => {
      if (choice === 'Open Sweep') void vscode.commands.executeCommand('lrcDistill.openSweep', { sweepId });
      if (choice === 'Open Report') void vscode.commands.executeCommand('lrcDistill.sweepReport', { sweepId });
      if (choice === 'Show Output') tools.output.show(true);
    };
    if (exit.code === 0) {
      const text = state?.record.executor === 'slurm' ? `submitted to Slurm${summary ? `: ${summary}` : ''}` : `done: ${state ? countsText(state.counts) : summary ?? 'finished'}`;
      void vscode.window.showInformationMessage(`LRC Distill: sweep ${name} ${text}`, ...actions).then(act);
    } else if (exit.code === 130 || exit.signal) {
      void vscode.window.showInformationMessage(`LRC Distill: sweep ${name} stopped${state ? ` (${countsText(state.counts)})` : ''}; Resume Sweep goes on from the checkpoints`, ...actions).then(act);
    } else {
      const why = exit.error ?? summary ?? `exit code ${exit.code}`;
      ctx.output.warn(`sweep ${name}: ${why}`);
      void vscode.window.showWarningMessage(`LRC Distill: sweep ${name}: ${why}`, ...actions, 'Show Output').then(act);
    }
  });
}

export const sweepCommands: Record<string, CommandFactory> = {
  'lrcDistill.runSweep': (ctx) =>
    guarded(ctx, 'Run Sweep', async (arg?: unknown, options?: unknown) => {
      const o = { ...(typeof arg === 'object' && arg !== null && !(arg instanceof vscode.Uri) ? arg : {}), ...(typeof options === 'object' && options !== null ? options : {}) } as { executor?: unknown; workers?: unknown };
      const file = await pickSweepFile(arg);
      if (!file) return undefined;
      const executor = await pickExecutor(file, o.executor);
      if (!executor) return undefined;
      ctx.manager.requireTrust();
      await saveIfDirty(file);
      const workers = typeof o.workers === 'number' ? ['--workers', String(o.workers)] : [];
      const tools = ctx.sweeps;
      tools.output.appendLine('');
      const launch = await tools.launcher.start(['sweep', file, '--executor', executor, ...workers, ...folderFlags(ctx)], cwdOf(file), (l) => /^sweep \S+: /.test(l));
      const created = launch.readyLine ? /^sweep (\S+): /.exec(launch.readyLine)?.[1] : undefined;
      if (!created) {
        const message = launch.exit?.error ?? `lrc-distill sweep exited (${launch.exit?.signal ?? `code ${launch.exit?.code}`}) before it made the sweep; see the LRC Sweeps output`;
        showFileError(ctx, message, file);
        return { ok: false, error: message, code: launch.exit?.code ?? null };
      }
      reportEnd(ctx, launch, created);
      await revealSweep(ctx, created);
      const state = tools.service.get(created);
      ctx.output.info(`sweep ${created} started (${executor}, pid ${launch.pid}) from ${file}`);
      // A Slurm submission ends at once and says what it submitted (reportEnd); a local pool goes on.
      if (executor === 'local') void vscode.window.showInformationMessage(
        `LRC Distill: sweep ${state?.record.name ?? created}: ${state ? `${state.record.teachers.length} teacher(s), ${state.record.runs.length} run(s)` : 'made'} on this machine${state?.record.workers ? ` (${state.record.workers} workers)` : ''}`,
        'Open Sweep', 'Show Output',
      ).then((c) => {
        if (c === 'Open Sweep') void vscode.commands.executeCommand('lrcDistill.openSweep', { sweepId: created });
        if (c === 'Show Output') tools.output.show(true);
      });
      return { ok: true, sweepId: created, dir: state?.dir, executor, pid: launch.pid };
    }),

  'lrcDistill.dryRunSweep': (ctx) =>
    guarded(ctx, 'Dry Run Sweep', async (arg?: unknown) => {
      const file = await pickSweepFile(arg);
      if (!file) return undefined;
      await saveIfDirty(file);
      const r = await ctx.cli.run(['sweep', file, '--dry-run', ...folderFlags(ctx)], cwdOf(file));
      if (r.code !== 0) {
        const message = r.stderr.trim().split('\n').find((l) => l.startsWith('lrc-distill: '))?.slice('lrc-distill: '.length) ?? `the dry run failed (${r.signal ?? `exit code ${r.code}`})`;
        showFileError(ctx, message, file);
        return { ok: false, error: message };
      }
      const text = `Dry run of ${file}\n(lrc-distill sweep ${basename(file)} --dry-run: nothing was created)\n\n${r.stdout}`;
      const uri = ctx.sweeps.documents.planUri(basename(file, extname(file)), text);
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
      return { ok: true, text: r.stdout, uri: uri.toString() };
    }),

  'lrcDistill.openSweep': (ctx) =>
    guarded(ctx, 'Open Sweep', async (arg?: unknown) => {
      const s = await pickSweep(ctx, arg, FILTERS.any);
      if (!s) return undefined;
      SweepPanel.createOrShow(ctx.sweeps.panels, s.record.id);
      return { sweepId: s.record.id };
    }),

  'lrcDistill.cancelSweep': (ctx) =>
    guarded(ctx, 'Cancel Sweep', async (arg?: unknown) => {
      const s = await pickSweep(ctx, arg, FILTERS.live);
      if (!s) return undefined;
      const r = await ctx.cli.run(['sweep', 'cancel', s.dir, ...folderFlags(ctx)], cwdOf(s.record.file));
      if (r.code !== 0) throw new UserError(`cancelling sweep ${s.record.name} failed: ${r.stderr.trim().split('\n').pop()?.replace(/^lrc-distill: /, '') ?? `exit code ${r.code}`}`, 'sweep');
      const message = r.stdout.trim().split('\n').pop() ?? 'cancelled';
      ctx.sweeps.output.appendLine(`sweep cancel ${s.record.id}: ${message}`);
      ctx.sweeps.service.refresh();
      ctx.sweeps.service.pollNow(s.record.id);
      void vscode.window.showInformationMessage(`LRC Distill: sweep ${s.record.name}: ${message}. Resume Sweep goes on from the checkpoints.`);
      return { sweepId: s.record.id, message };
    }),

  'lrcDistill.resumeSweep': (ctx) =>
    guarded(ctx, 'Resume Sweep', async (arg?: unknown) => {
      const s = await pickSweep(ctx, arg, FILTERS.resumable);
      if (!s) return undefined;
      ctx.manager.requireTrust();
      const tools = ctx.sweeps;
      tools.output.appendLine('');
      const launch = await tools.launcher.start(['sweep', 'resume', s.dir, ...folderFlags(ctx)], cwdOf(s.record.file), () => true);
      if (!launch.readyLine) {
        const message = launch.exit?.error ?? `lrc-distill sweep resume exited (${launch.exit?.signal ?? `code ${launch.exit?.code}`}); see the LRC Sweeps output`;
        throw new UserError(message, 'sweep');
      }
      reportEnd(ctx, launch, s.record.id);
      tools.service.refresh();
      tools.service.pollNow(s.record.id);
      const message = launch.readyLine.replace(/^\d\d:\d\d:\d\d /, '');
      return { sweepId: s.record.id, pid: launch.pid, message };
    }),

  'lrcDistill.sweepReport': (ctx) =>
    guarded(ctx, 'Sweep Report', async (arg?: unknown) => {
      const s = await pickSweep(ctx, arg, FILTERS.any);
      if (!s) return undefined;
      const uri = reportUri(s.record.id, `${s.record.name} report`);
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(doc, { preview: false });
      return { sweepId: s.record.id, uri: uri.toString(), text: doc.getText() };
    }),

  'lrcDistill.showSweepOutput': (ctx) => () => ctx.sweeps.output.show(true),
};
