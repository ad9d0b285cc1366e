// Commands that start, steer and show runs: New Distillation Run, Train Teacher, Start Run From Config,
// Start/Resume, Pause, Stop, Next Stage, Evaluate Now, Open Dashboard, Compare With Baseline.
import * as vscode from 'vscode';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { RunRecord } from '../../trainer/runs/runRecord';
import { UserError } from '../../trainer/server';
import { DashboardPanel } from '../panels/dashboardPanel';
import { planName, readPlanFile, savePlan, type RunPlan } from '../runs/runPlan';
import { runDirOfArg, runRef } from '../runs/runRef';
import { configsFolder, runsFolder, workspaceFolder } from '../settings';
import { isLive } from '../trainer/runManager';
import { askGeneral, askNewRun, askTeacher } from '../wizard/newRunWizard';
import { generalConfigOf, planOf, teacherConfigOf, type GeneralAnswers, type NewRunAnswers, type TeacherAnswers } from '../wizard/newRunPlan';
import { guarded, type CommandContext, type CommandFactory } from './context';
import { pickRun, type RunFilter } from './pickRun';

const distils = (r: RunRecord) => r.kind === 'lrc' || r.kind === 'mse';

export const FILTERS = {
  resumable: {
    purpose: 'to start or resume',
    rule: 'only a queued, stopped, crashed, failed or paused run can be started or resumed',
    fits: (r, ctx) => r.status === 'paused' || (['queued', 'stopped', 'crashed', 'failed'].includes(r.status) && !ctx.manager.isOwned(r.id)),
  },
  running: { purpose: 'to pause', rule: 'only a running run can be paused', fits: (r) => r.status === 'running' },
  live: { purpose: 'to stop', rule: 'only a running or paused run can be stopped', fits: (r) => isLive(r) },
  evaluable: { purpose: 'to evaluate now', rule: 'only a running or paused run can be evaluated now', fits: (r) => isLive(r) },
  stageOne: {
    purpose: 'to move to stage 2',
    rule: 'only a running or paused lrc or mse run in stage 1 can move to the next stage',
    fits: (r) => isLive(r) && distils(r) && r.progress.stage < 2,
  },
  paired: { purpose: 'to compare with its baseline', rule: 'only an lrc run with a paired MSE baseline (loss "both") can be compared', fits: (r) => !!r.pairedRunId },
} satisfies Record<string, RunFilter>;

export interface StartedPlan {
  configFile?: string;
  runIds: string[];
}

/** Creates the plan's runs, starts them in order, opens the dashboard of the first one. */
async function startPlan(ctx: CommandContext, plan: RunPlan, source: string): Promise<StartedPlan> {
  ctx.manager.requireTrust();
  const runs = ctx.manager.createPlan(plan, workspaceFolder() ?? ctx.manager.runsDir(), source);
  const ids = runs.map((r) => r.id);
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `LRC: starting ${runs[0].name}…` },
    () => ctx.manager.startInOrder(ids),
  );
  DashboardPanel.createOrShow(ctx.dashboards, ids[0]);
  if (ids.length > 1) void vscode.window.showInformationMessage(`LRC Distill: started ${runs[0].name}; ${runs.slice(1).map((r) => r.name).join(', ')} will follow when it finishes.`);
  return { runIds: ids };
}

/** Saves a plan as a config file, then starts it or opens it for editing. */
async function saveAndOffer(ctx: CommandContext, plan: RunPlan, name: string, start: boolean | undefined): Promise<StartedPlan | undefined> {
  const folder = configsFolder();
  if (!folder) throw new UserError('open a folder first: the config is saved in its .lrc/configs/ folder', 'workspace');
  const file = savePlan(folder, name, plan);
  ctx.output.info(`saved the config ${file}`);
  let go = start;
  if (go === undefined) {
    const choice = await vscode.window.showQuickPick(
      [
        { label: '$(play) Start now', detail: `saved as ${planName(file)}`, go: true },
        { label: '$(edit) Open the config to edit it first', detail: 'then run "LRC: Start Run From Config"', go: false },
      ],
      { title: 'LRC: the config is saved', placeHolder: 'Start the run now?' },
    );
    if (!choice) return { configFile: file, runIds: [] };
    go = choice.go;
  }
  if (!go) {
    await vscode.window.showTextDocument(vscode.Uri.file(file));
    return { configFile: file, runIds: [] };
  }
  return { ...(await startPlan(ctx, plan, file)), configFile: file };
}

/** The config file to start: given, the active editor's when it is a .json file, else picked. */
async function configFileOf(arg: unknown): Promise<string | undefined> {
  if (arg instanceof vscode.Uri) return arg.fsPath;
  if (typeof arg === 'string' && arg) return arg;
  const active = vscode.window.activeTextEditor?.document;
  const folder = configsFolder();
  if (active && active.uri.scheme === 'file' && active.fileName.endsWith('.json') && folder && active.fileName.startsWith(folder)) return active.fileName;
  const files = folder && existsSync(folder) ? readdirSync(folder).filter((f) => f.endsWith('.json')).sort() : [];
  const items = [
    ...files.map((f) => ({ label: `$(json) ${f}`, description: '.lrc/configs', path: join(folder!, f) })),
    { label: '$(folder-opened) Browse…', description: 'any run config (JSON)', path: '' },
  ];
  const choice = await vscode.window.showQuickPick(items, { title: 'LRC: Start Run From Config', placeHolder: 'The config to start' });
  if (!choice) return undefined;
  if (choice.path) return choice.path;
  const picked = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'Run config': ['json'] }, title: 'A run config (JSON)' });
  return picked?.[0]?.fsPath;
}

/** Optional second argument of the wizard commands: answers (tests, scripts) and whether to start. */
interface WizardOptions<A> {
  answers?: A;
  start?: boolean;
}

const wizardOptions = <A>(arg: unknown): WizardOptions<A> => (typeof arg === 'object' && arg !== null ? (arg as WizardOptions<A>) : {});

export const runCommands: Record<string, CommandFactory> = {
  'lrcDistill.newRun': (ctx) =>
    guarded(ctx, 'New Distillation Run', async (arg?: unknown) => {
      const o = wizardOptions<NewRunAnswers>(arg);
      const answers = o.answers ?? (await askNewRun());
      if (!answers) return undefined;
      return saveAndOffer(ctx, planOf(answers), answers.name, o.start);
    }),

  'lrcDistill.trainTeacher': (ctx) =>
    guarded(ctx, 'Train Teacher', async (arg?: unknown) => {
      const o = wizardOptions<TeacherAnswers>(arg);
      const answers = o.answers ?? (await askTeacher());
      if (!answers) return undefined;
      return saveAndOffer(ctx, { run: teacherConfigOf(answers), baseline: false }, answers.name, o.start);
    }),

  'lrcDistill.newGeneralRun': (ctx) =>
    guarded(ctx, 'New General Distillation Run', async (arg?: unknown) => {
      const o = wizardOptions<GeneralAnswers>(arg);
      const answers = o.answers ?? (await askGeneral());
      if (!answers) return undefined;
      return saveAndOffer(ctx, { run: generalConfigOf(answers), baseline: false }, answers.name, o.start);
    }),

  'lrcDistill.startFromConfig': (ctx) =>
    guarded(ctx, 'Start Run From Config', async (arg?: unknown) => {
      const file = await configFileOf(arg);
      if (!file) return undefined;
      const plan = readPlanFile(file);
      return { ...(await startPlan(ctx, plan, file)), configFile: file };
    }),

  'lrcDistill.startRun': (ctx) =>
    guarded(ctx, 'Start/Resume', async (arg?: unknown) => {
      const run = await pickRun(ctx, arg, FILTERS.resumable);
      if (!run) return undefined;
      const how = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: `LRC: starting ${run.name}` },
        () => ctx.manager.startOrResume(run.id),
      );
      vscode.window.setStatusBarMessage(`LRC: ${how} ${run.name}`, 4000);
      return { runId: run.id, how };
    }),

  'lrcDistill.pauseRun': (ctx) => controlCommand(ctx, 'Pause', FILTERS.running, 'pause'),
  'lrcDistill.stopRun': (ctx) => controlCommand(ctx, 'Stop', FILTERS.live, 'stop'),
  'lrcDistill.nextStage': (ctx) => controlCommand(ctx, 'Next Stage', FILTERS.stageOne, 'nextStage'),
  'lrcDistill.evaluateNow': (ctx) => controlCommand(ctx, 'Evaluate Now', FILTERS.evaluable, 'evaluate'),

  'lrcDistill.openDashboard': (ctx) =>
    guarded(ctx, 'Open Dashboard', (arg?: unknown) => {
      // A run given (tree, status bar, notification): its dashboard. Else the overview, which shows the
      // trainer and lists every run with a button that opens its dashboard.
      const dir = runDirOfArg(arg, runsFolder());
      const runId = dir ? runRef(dir).id : undefined;
      return { runId: DashboardPanel.createOrShow(ctx.dashboards, runId).runId };
    }),

  'lrcDistill.compareWithBaseline': (ctx) =>
    guarded(ctx, 'Compare With Baseline', async (arg?: unknown) => {
      const run = await pickRun(ctx, arg, FILTERS.paired);
      if (!run) return undefined;
      const other = ctx.manager.read(run.pairedRunId!);
      const [lrc, mse] = run.kind === 'mse' ? [other, run] : [run, other];
      DashboardPanel.createOrShow(ctx.dashboards, lrc.id, vscode.ViewColumn.One);
      DashboardPanel.createOrShow(ctx.dashboards, mse.id, vscode.ViewColumn.Two);
      return { lrc: lrc.id, baseline: mse.id };
    }),
};

function controlCommand(ctx: CommandContext, name: string, filter: RunFilter, type: 'pause' | 'stop' | 'nextStage' | 'evaluate') {
  return guarded(ctx, name, async (arg?: unknown) => {
    const run = await pickRun(ctx, arg, filter);
    if (!run) return undefined;
    const via = await ctx.manager.control(run.id, { type });
    vscode.window.setStatusBarMessage(`LRC: sent ${type} to ${run.name}${via === 'control.jsonl' ? ' (through its control.jsonl)' : ''}`, 4000);
    return { runId: run.id, via };
  });
}
