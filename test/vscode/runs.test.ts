// Inside a real VS Code, on a tiny task written into the test workspace (a TSV of 60 sentences, a
// teacher of 1 layer x 16): the run commands do what they say. A teacher run started through the CLI
// shows in the explorer; an lrc run started from a config file shows its progress in the dashboard;
// Pause, Next Stage and a weight change sent as the dashboard page sends them reach the trainer (the
// run's metrics.jsonl holds the control records and the changed weights); Stop leaves a stopped run;
// a trainer killed with SIGKILL leaves a crashed run that resumes; a CLI run is steered through its
// control.jsonl; the wizard's "both" makes a paired run that Compare With Baseline opens side by side;
// Export Student and Benchmark Student vs Teacher work on it.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { LrcDistillApi } from '../../extension/extension';
import { readPlanFile } from '../../extension/runs/runPlan';
import { planOf, type NewRunAnswers } from '../../extension/wizard/newRunPlan';
import { readMetrics, type MetricsRecord } from '../../trainer/runs/metricsLog';
import { readRunRecord } from '../../trainer/runs/runStore';
import type { RunRecord } from '../../trainer/runs/runRecord';
import { ControlNotification, DidChangeRunsNotification, DidControlNotification, DidLoadRunNotification, DidAppendPointsNotification, type MetricPoint } from '../../webview/dashboard/protocol';
import { tinyTsv } from '../fixtures/tinyTsv.mjs';
import { waitFor } from './waitFor';

const EXTENSION_ID = 'lrc-distill.lrc-distill';
const TINY_SHAPE = { layers: 1, hidden: 16, heads: 2, intermediate: 32 };

const RUN_COMMANDS = [
  'lrcDistill.newRun', 'lrcDistill.trainTeacher', 'lrcDistill.startFromConfig', 'lrcDistill.startRun', 'lrcDistill.pauseRun',
  'lrcDistill.stopRun', 'lrcDistill.nextStage', 'lrcDistill.evaluateNow', 'lrcDistill.openDashboard', 'lrcDistill.compareWithBaseline',
  'lrcDistill.exportStudent', 'lrcDistill.benchmark', 'lrcDistill.selectBackend', 'lrcDistill.showTrainerLog',
];

const DATA = { task: 'file', train: 'data/train.tsv', dev: 'data/dev.tsv', columns: { text: 'sentence', label: 'label' } };
const QUICK = { backend: 'wasm', maxLength: 16, builtVocabSize: 200, logEverySteps: 2 };



suite('runs: the run commands on a tiny task', function () {
  this.timeout(120_000);
  let api: LrcDistillApi;
  let ws: string;
  let runsDir: string;
  let cliJs: string;
  let teacherId: string;
  let lrcId: string;
  let pairedIds: string[] = [];
  const children: ChildProcess[] = [];

  const record = (id: string): RunRecord => readRunRecord(join(runsDir, id));
  const metrics = (id: string): MetricsRecord[] => readMetrics(join(runsDir, id, 'metrics.jsonl'));
  const explorerStatus = (id: string) => api.explorer.runNodes().find((n) => n.run.id === id)?.run.status;
  const run = <T>(command: string, ...args: unknown[]) => vscode.commands.executeCommand<T>(command, ...args);

  /** `node dist/cli.js <args>` in the workspace, as a person would type it in a terminal. */
  function cli(args: string[]): { child: ChildProcess; exit: Promise<number | null> } {
    const child = spawn(process.execPath, [cliJs, ...args], { cwd: ws, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let err = '';
    child.stderr?.on('data', (d) => (err += String(d)));
    child.stdout?.on('data', () => undefined);
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => {
      if (code !== 0 && code !== 130) console.log(`      cli ${args[0]} exited ${code}: ${err.slice(-600)}`);
      resolve(code);
    }));
    return { child, exit };
  }

  function writeConfig(name: string, config: Record<string, unknown>): string {
    const file = join(ws, '.lrc', 'configs', `${name}.json`);
    mkdirSync(join(ws, '.lrc', 'configs'), { recursive: true });
    writeFileSync(file, JSON.stringify(config, null, 2));
    return file;
  }

  function lrcConfig(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      kind: 'lrc', name, ...QUICK, data: DATA, teacher: { runId: teacherId }, student: TINY_SHAPE,
      stages: { split: 0.5 }, optim: { batchSize: 8, maxSteps: 100_000, learningRate: 0.001 }, eval: { everySteps: 40, analysis: false },
      ...extra,
    };
  }

  suiteSetup(async () => {
    const ext = vscode.extensions.getExtension<LrcDistillApi>(EXTENSION_ID)!;
    api = await ext.activate();
    cliJs = join(ext.extensionPath, 'dist', 'cli.js');
    ws = vscode.workspace.workspaceFolders![0].uri.fsPath;
    runsDir = join(ws, '.lrc', 'runs');
    mkdirSync(join(ws, 'data'), { recursive: true });
    writeFileSync(join(ws, 'data', 'train.tsv'), tinyTsv(60, 1));
    writeFileSync(join(ws, 'data', 'dev.tsv'), tinyTsv(24, 2));
  });

  suiteTeardown(() => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  });

  test('every run command is contributed with category LRC, registered, and hidden where it makes no sense', async () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as {
      contributes: { commands: { command: string; category: string }[]; menus: Record<string, { command: string; when?: string }[]> };
    };
    const contributed = new Map(pkg.contributes.commands.map((c) => [c.command, c]));
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const id of RUN_COMMANDS) {
      assert.equal(contributed.get(id)?.category, 'LRC', `${id} is not contributed in category LRC`);
      assert.ok(registered.has(id), `${id} is not registered`);
    }
    const palette = new Map(pkg.contributes.menus.commandPalette.map((m) => [m.command, m.when]));
    assert.equal(palette.get('lrcDistill.pauseRun'), 'lrcDistill.hasRunningRuns');
    assert.equal(palette.get('lrcDistill.nextStage'), 'lrcDistill.hasStageOneRuns');
    const items = pkg.contributes.menus['view/item/context'].filter((m) => m.command === 'lrcDistill.pauseRun');
    assert.ok(items.length > 0 && items.every((m) => m.when?.includes('running')), 'Pause must show on running runs only');
  });

  test('the explorer shows a teacher run started through the CLI, live, until it finishes', async () => {
    const config = writeConfig('tiny-teacher', {
      kind: 'teacher', name: 'tiny teacher', ...QUICK, data: DATA, model: TINY_SHAPE,
      optim: { batchSize: 8, epochs: 6, learningRate: 0.001 }, eval: { everySteps: 15 },
    });
    const { exit } = cli(['train-teacher', '--config', config, '--runs', runsDir, '--plain']);
    const node = await waitFor('the CLI run in the explorer', () => api.explorer.runNodes().find((n) => n.run.kind === 'teacher'), 30_000);
    teacherId = node.run.id;
    assert.equal(await exit, 0, 'the CLI teacher run failed (see the output above)');
    await waitFor('the teacher run shown finished', () => explorerStatus(teacherId) === 'finished');
    assert.ok(existsSync(join(runsDir, teacherId, 'export', 'config.json')), 'the teacher run exported no model');
    // The overview dashboard (opened by the smoke suite) lists it too.
    await run('lrcDistill.openDashboard');
    const overview = api.dashboards.get()!;
    await waitFor('the overview listing the teacher run', () =>
      overview.posted.some((m) => DidChangeRunsNotification.is(m) && m.params.runs.some((r) => r.id === teacherId && r.status === 'finished')), 20_000);
  });

  test('Start Run From Config starts an lrc run; its dashboard and the status bar show the progress', async () => {
    const file = writeConfig('tiny-lrc', lrcConfig('tiny lrc'));
    const started = await run<{ runIds: string[] }>('lrcDistill.startFromConfig', file);
    assert.ok(started?.runIds.length === 1, `startFromConfig returned ${JSON.stringify(started)}`);
    lrcId = started.runIds[0];
    assert.ok(api.manager.isOwned(lrcId), 'the run is not trained by a child of this window');
    const panel = await waitFor('the run\'s dashboard', () => api.dashboards.get(lrcId), 20_000);
    const progress = (): MetricPoint[] =>
      panel.posted.flatMap((m) => (DidLoadRunNotification.is(m) ? m.params.points : DidAppendPointsNotification.is(m) ? m.params.points : [])).filter((p) => p.type === 'progress');
    const seen = await waitFor('progress points posted to the dashboard', () => (progress().length >= 3 ? progress() : undefined));
    assert.ok(seen.every((p) => p.type === 'progress' && p.stage === 1 && Number.isFinite(p.clean.total) && p.clean.mid !== undefined), 'progress of stage 1 with L_mid');
    await waitFor('the status bar on the run', () => api.statusBar.runId === lrcId && /LRC lrc: stage 1 · \d+\/100000 · loss/.test(api.statusBar.text) && api.statusBar.text);
    assert.equal(explorerStatus(lrcId), 'running');
  });

  test('Pause, then Next Stage and a weight change from the dashboard reach the trainer', async () => {
    const paused = await run<{ via: string }>('lrcDistill.pauseRun', lrcId);
    assert.equal(paused?.via, 'ipc');
    await waitFor('the run paused', () => record(lrcId).status === 'paused');
    const panel = api.dashboards.get(lrcId)!;
    const before = panel.posted.length;
    // The messages the page sends for "Next stage now" and "Apply to the trainer", and one that its
    // validation would refuse (T = 0) and the host refuses too.
    panel.receive(ControlNotification.create({ runId: lrcId, action: { type: 'nextStage' } }));
    panel.receive(ControlNotification.create({ runId: lrcId, action: { type: 'setWeights', alpha: 2, gamma: 5, temperature: 2 } }));
    panel.receive({ method: ControlNotification.method, params: { runId: lrcId, action: { type: 'setWeights', temperature: 0 } } });
    const answers = await waitFor('two answers to the controls', () => {
      const a = panel.posted.slice(before).filter((m) => DidControlNotification.is(m));
      return a.length >= 2 ? a : undefined;
    });
    assert.ok(answers.every((a) => DidControlNotification.is(a) && a.params.ok), JSON.stringify(answers));
    const resumed = await run<{ how: string }>('lrcDistill.startRun', lrcId);
    assert.equal(resumed?.how, 'resumed');
    const controls = await waitFor('the control records in metrics.jsonl', () => {
      const c = metrics(lrcId).filter((r) => r.type === 'control');
      return c.length >= 4 ? c : undefined; // pause, nextStage, setWeights, resume
    });
    const types = controls.map((c) => (c.request as { type: string }).type);
    assert.deepEqual(types.slice(0, 4), ['pause', 'nextStage', 'setWeights', 'resume']);
    assert.deepEqual(controls[2].request, { type: 'setWeights', alpha: 2, gamma: 5, temperature: 2 });
    assert.ok(!metrics(lrcId).some((r) => r.type === 'control' && (r.request as { temperature?: number }).temperature === 0), 'the refused request reached the trainer');
    const after = await waitFor('progress in stage 2 with the new weights', () =>
      metrics(lrcId).find((r) => r.type === 'progress' && r.step > controls[1].step && r.stage === 2));
    assert.deepEqual(after.weights, { alpha: 2, beta: 1, gamma: 5, temperature: 2, epsilon: 1 });
    assert.ok((after.clean as { soft?: number }).soft !== undefined, 'stage 2 adds L_soft');
  });

  test('Stop leaves a stopped run with a checkpoint, and its trainer exits', async () => {
    const stopped = await run<{ via: string }>('lrcDistill.stopRun', lrcId);
    assert.equal(stopped?.via, 'ipc');
    await waitFor('the run stopped', () => record(lrcId).status === 'stopped');
    await waitFor('its trainer gone', () => !api.manager.isOwned(lrcId), 15_000);
    assert.ok(existsSync(join(runsDir, lrcId, 'checkpoints', 'last', 'state.json')), 'no checkpoint after stop');
    await waitFor('the explorer showing it stopped', () => explorerStatus(lrcId) === 'stopped');
  });

  test('a trainer killed with SIGKILL leaves a crashed run, which resumes from its checkpoint', async () => {
    const stoppedAt = record(lrcId).progress.step;
    assert.equal((await run<{ how: string }>('lrcDistill.startRun', lrcId))?.how, 'resumed');
    await waitFor('steps after the resume', () => record(lrcId).status === 'running' && record(lrcId).progress.step > stoppedAt + 10);
    const pid = api.manager.pidOf(lrcId);
    assert.ok(pid, 'no trainer pid');
    process.kill(pid, 'SIGKILL');
    await waitFor('the explorer showing the run crashed', () => explorerStatus(lrcId) === 'crashed', 20_000);
    assert.match(record(lrcId).error?.message ?? '', /exited|vanished/);
    assert.equal((await run<{ how: string }>('lrcDistill.startRun', lrcId))?.how, 'resumed');
    const start = await waitFor('a resumed start record', () => metrics(lrcId).filter((r) => r.type === 'start' && r.resumed).at(-1));
    assert.ok(start.step >= stoppedAt, `resumed at step ${start.step}, before the checkpoint at ${stoppedAt}`);
    await waitFor('the run running again', () => record(lrcId).status === 'running' && explorerStatus(lrcId) === 'running');
    await run('lrcDistill.stopRun', lrcId);
    await waitFor('the run stopped again', () => record(lrcId).status === 'stopped' && !api.manager.isOwned(lrcId));
  });

  test('a trainer that stops answering is killed and its run marked crashed', async () => {
    const settings = vscode.workspace.getConfiguration('lrcDistill');
    await settings.update('trainerTimeoutSeconds', 5, vscode.ConfigurationTarget.Workspace);
    try {
      assert.equal((await run<{ how: string }>('lrcDistill.startRun', lrcId))?.how, 'resumed');
      await waitFor('the run running', () => record(lrcId).status === 'running');
      const pid = api.manager.pidOf(lrcId)!;
      process.kill(pid, 'SIGSTOP'); // alive but silent: only the liveness ping can tell
      await waitFor('the hung run shown crashed', () => explorerStatus(lrcId) === 'crashed' && !api.manager.isOwned(lrcId), 30_000);
    } finally {
      await settings.update('trainerTimeoutSeconds', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  test('a run started through the CLI is steered through its control.jsonl', async () => {
    const config = writeConfig('tiny-cli-lrc', lrcConfig('tiny cli lrc'));
    const known = new Set(readdirSync(runsDir));
    const { exit } = cli(['distill', '--config', config, '--runs', runsDir, '--plain']);
    const id = await waitFor('the CLI run running', () => readdirSync(runsDir).find((d) => !known.has(d) && !d.startsWith('.') && record(d).status === 'running'), 30_000);
    await waitFor('some progress', () => record(id).progress.step >= 10);
    const next = await run<{ via: string }>('lrcDistill.nextStage', id);
    assert.equal(next?.via, 'control.jsonl');
    await waitFor('the CLI run in stage 2', () => record(id).progress.stage === 2);
    assert.equal((await run<{ via: string }>('lrcDistill.stopRun', id))?.via, 'control.jsonl');
    assert.equal(await exit, 130, 'a stopped CLI run exits with 130');
    assert.equal(record(id).status, 'stopped');
    assert.ok(metrics(id).some((r) => r.type === 'control' && (r.request as { type: string }).type === 'nextStage'));
  });

  test('New Distillation Run with "both" saves a plan and runs the LRC run and its MSE baseline in order', async () => {
    const answers: NewRunAnswers = {
      name: 'tiny both', teacher: { kind: 'run', runId: teacherId }, data: DATA, student: { ...TINY_SHAPE, dropout: 0.1 }, loss: 'both',
      split: 0.5, epochs: 1, learningRate: 0.001, backend: 'wasm', evalEverySteps: 10, maxLength: 16,
      overrides: { builtVocabSize: 200, logEverySteps: 2, optim: { batchSize: 8, maxSteps: 24 }, eval: { analysis: false } },
    };
    const result = await run<{ configFile: string; runIds: string[] }>('lrcDistill.newRun', { answers, start: true });
    assert.ok(result && result.runIds.length === 2, `newRun returned ${JSON.stringify(result)}`);
    assert.ok(result.configFile.endsWith(join('.lrc', 'configs', 'tiny-both.json')), result.configFile);
    const plan = readPlanFile(result.configFile);
    assert.equal(plan.baseline, true);
    assert.equal(plan.run.kind, 'lrc');
    pairedIds = result.runIds;
    const [lrc, mse] = pairedIds.map(record);
    assert.equal(lrc.kind, 'lrc');
    assert.equal(mse.kind, 'mse');
    assert.equal(lrc.pairedRunId, mse.id);
    assert.equal(mse.pairedRunId, lrc.id);
    await waitFor('both runs finished, one after the other', () => pairedIds.every((id) => record(id).status === 'finished'), 90_000);
    assert.ok(Date.parse(record(mse.id).startedAt!) >= Date.parse(record(lrc.id).endedAt!), 'the baseline started before the LRC run ended');
  });

  test('Compare With Baseline opens the dashboards of the pair side by side', async () => {
    await run('workbench.action.closeAllEditors');
    const r = await run<{ lrc: string; baseline: string }>('lrcDistill.compareWithBaseline', pairedIds[1]);
    assert.deepEqual(r, { lrc: pairedIds[0], baseline: pairedIds[1] });
    const tabs = await waitFor('two dashboard tabs in two groups', () => {
      const found = vscode.window.tabGroups.all.flatMap((g) => g.tabs.filter((t) => t.input instanceof vscode.TabInputWebview && t.label.startsWith('LRC Dashboard:')).map((t) => ({ label: t.label, column: g.viewColumn })));
      return found.length === 2 && found[0].column !== found[1].column ? found : undefined;
    }, 20_000);
    assert.deepEqual(tabs.map((t) => t.label).sort(), ['LRC Dashboard: tiny both', 'LRC Dashboard: tiny both (MSE baseline)']);
  });

  test('Export Student copies the model, or writes it as float16', async () => {
    const out = join(ws, 'exports');
    rmSync(out, { recursive: true, force: true });
    const copy = await run<{ target: string }>('lrcDistill.exportStudent', pairedIds[0], { format: 'copy', target: join(out, 'copy') });
    assert.ok(copy, 'the copy failed');
    assert.deepEqual(readdirSync(copy.target).sort(), readdirSync(join(runsDir, pairedIds[0], 'export')).sort());
    const half = await run<{ target: string }>('lrcDistill.exportStudent', pairedIds[0], { format: 'f16', target: join(out, 'f16') });
    assert.ok(half, 'the float16 export failed (see the LRC Distill log)');
    const weights = readFileSync(join(half.target, 'model.safetensors'));
    const header = JSON.parse(weights.subarray(8, 8 + Number(weights.readBigUInt64LE(0))).toString('utf8')) as Record<string, { dtype?: string }>;
    const dtypes = new Set(Object.entries(header).filter(([k]) => k !== '__metadata__').map(([, v]) => v.dtype));
    assert.deepEqual([...dtypes], ['F16']);
  });

  test('Benchmark Student vs Teacher evaluates both on the dev set', async () => {
    const r = await run<{ student: { score: number; examples: number; examplesPerSecond: number }; teacher: { score: number; examples: number; examplesPerSecond: number } }>(
      'lrcDistill.benchmark', pairedIds[0]);
    assert.ok(r, 'the benchmark failed (see the LRC Distill log)');
    for (const who of [r.student, r.teacher]) {
      assert.equal(who.examples, 24);
      assert.ok(who.score >= 0 && who.score <= 1, `accuracy ${who.score}`);
      assert.ok(who.examplesPerSecond > 0);
    }
  });

  test('Select Backend sets lrcDistill.backend', async () => {
    const config = () => vscode.workspace.getConfiguration('lrcDistill').get('backend');
    assert.equal(await run('lrcDistill.selectBackend', 'cpu'), 'cpu');
    assert.equal(config(), 'cpu');
    assert.equal(await run('lrcDistill.selectBackend', 'auto'), 'auto');
    assert.equal(config(), 'auto');
  });

  test('Train Teacher saves an editable config (a plain run config the CLI takes too) without starting it', async () => {
    const before = readdirSync(runsDir).length;
    const r = await run<{ configFile: string; runIds: string[] }>('lrcDistill.trainTeacher', {
      answers: { name: 'teacher only', data: DATA, model: { ...TINY_SHAPE, dropout: 0.1 }, epochs: 2, learningRate: 0.001, backend: 'wasm' },
      start: false,
    });
    assert.ok(r, 'trainTeacher returned nothing');
    assert.deepEqual(r.runIds, []);
    const saved = JSON.parse(readFileSync(r.configFile, 'utf8')) as Record<string, unknown>;
    assert.equal(saved.kind, 'teacher');
    assert.equal(saved.run, undefined, 'a single run is saved as a plain run config, not a plan');
    assert.deepEqual(saved.optim, { epochs: 2, learningRate: 0.001 });
    assert.equal(readdirSync(runsDir).length, before, 'a run was created without Start');
    // An edit that the trainer's schema refuses is named with the file and the field.
    writeFileSync(r.configFile, JSON.stringify({ ...saved, maxLength: -1 }));
    assert.throws(() => readPlanFile(r.configFile), (e: Error) => e.message.includes(r.configFile) && e.message.includes('maxLength'));
    rmSync(r.configFile);
  });

  test('a plan that trains a teacher first names the teacher run in the student', () => {
    const plan = planOf({
      name: 'x', teacher: { kind: 'trainFirst', shape: { ...TINY_SHAPE, dropout: 0.1 } }, data: { task: 'demo' }, student: { ...TINY_SHAPE, dropout: 0.1 },
      loss: 'lrc', split: 0.8, epochs: 2, learningRate: 1e-4, backend: 'auto',
    });
    assert.equal(plan.teacher?.kind, 'teacher');
    assert.deepEqual(plan.teacher?.model, { ...TINY_SHAPE, dropout: 0.1 });
    assert.equal(plan.run.teacher, undefined);
    const runs = api.manager.createPlan(plan, ws, 'test plan');
    assert.deepEqual(runs.map((r) => r.kind), ['teacher', 'lrc']);
    assert.deepEqual(runs[1].teacher, { runId: runs[0].id });
    for (const r of runs) rmSync(join(runsDir, r.id), { recursive: true, force: true });
  });
});
