// Inside a real VS Code, on a tiny sweep written into the test workspace (2 tasks x LRC / MSE / alone x
// 3 seeds and a teacher per task, 1-layer students on 60 sentences, 2 workers): the sweep commands do
// what they say. Dry Run lists the planned runs and creates nothing; a bad field is refused naming the
// file and the field; Run Sweep (local) starts the pool, the explorer shows the sweep node live with
// its runs under it going to finished; the sweep panel, open from the start, follows the sweep and ends
// with the numbers of the trainer's own aggregateSweep; Sweep Report is the text of `lrc-distill sweep
// report`; Cancel from the panel stops a second sweep, which Resume then finishes.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { LrcDistillApi } from '../../extension/extension';
import type { SweepNode } from '../../extension/views/sweepTreeItems';
import type { RunNode } from '../../extension/views/runTreeItems';
import { aggregateSweep } from '../../trainer/sweep/report/aggregate';
import type { SweepReport } from '../../trainer/sweep/report/types';
import { reportInputOf } from '../../trainer/sweep/reportInput';
import { readSweep } from '../../trainer/sweep/sweepStore';
import { DidChangeSweepNotification, DidLoadSweepNotification, SweepActionNotification, type SweepView } from '../../webview/sweep/protocol';
import { tinyTsv } from '../fixtures/tinyTsv.mjs';
import { waitFor } from './waitFor';

const EXTENSION_ID = 'lrc-distill.lrc-distill';
const SWEEP_COMMANDS = ['lrcDistill.runSweep', 'lrcDistill.dryRunSweep', 'lrcDistill.openSweep', 'lrcDistill.cancelSweep', 'lrcDistill.resumeSweep', 'lrcDistill.sweepReport'];



const data = (task: string) => ({ data: { task: 'file', train: `data/${task}-train.tsv`, dev: `data/${task}-dev.tsv`, columns: { text: 'sentence', label: 'label' } } });

/** The tiny sweep: about 20 s on 2 workers. */
function sweepFile(name: string, tasks: string[], methods: Record<string, { kind: string }>, seeds: number[]) {
  return {
    name,
    base: {
      backend: 'wasm', maxLength: 16, builtVocabSize: 200,
      student: { layers: 1, hidden: 16, heads: 2, intermediate: 32, dropout: 0.1 },
      optim: { epochs: 4, batchSize: 8, learningRate: 0.003 }, eval: { everySteps: 12, analysis: false },
    },
    students: { optim: { learningRate: 0.01, epochs: 6 }, stages: { split: 0.5 } },
    axes: { task: Object.fromEntries(tasks.map((t) => [t, data(t)])), method: methods, seed: seeds },
    teacher: { config: { model: { layers: 2, hidden: 32, heads: 4, intermediate: 64, dropout: 0.1 }, optim: { epochs: 6 } } },
    compare: [{ axis: 'method', a: 'LRC', b: 'MSE' }, { axis: 'method', a: 'LRC', b: 'alone' }].filter((c) => c.a in methods && c.b in methods),
    local: { workers: 2 },
  };
}

const finite = (v: number) => (Number.isFinite(v) ? v : null);

/** The panel's numbers against the report the trainer makes from the run folders. */
function assertViewMatchesReport(view: SweepView, report: SweepReport): void {
  assert.equal(view.cells.length, report.cells.length, 'cells');
  report.cells.forEach((c, i) => {
    const v = view.cells[i];
    assert.deepEqual(v.cell, c.cell);
    assert.equal(v.primary, c.primary);
    assert.equal(v.finished, c.finished);
    assert.deepEqual(v.seeds.map((s) => [s.seed, s.runId, s.value]), c.seeds.map((s) => [s.seed, s.runId, finite(s.value)]), `per-seed values of ${JSON.stringify(c.cell)}`);
    assert.deepEqual([v.value.n, v.value.mean, v.value.sd], [c.value.n, finite(c.value.mean), finite(c.value.sd)], `mean ± sd of ${JSON.stringify(c.cell)}`);
    assert.equal(v.teacherValue, finite(c.teacherValue));
    assert.equal(v.keptOfTeacher, finite(c.keptOfTeacher));
    assert.equal(v.teacherLead, finite(c.teacherLead));
  });
  assert.equal(view.comparisons.length, report.comparisons.length, 'comparisons');
  report.comparisons.forEach((c, i) => {
    const v = view.comparisons[i];
    assert.deepEqual([v.name, v.a, v.b, v.groups.length], [c.name, c.a, c.b, c.groups.length]);
    c.groups.forEach((g, j) => {
      const w = v.groups[j];
      assert.deepEqual(w.cell, g.cell);
      assert.deepEqual(w.seeds.map((s) => [s.seed, s.a, s.b, s.difference]), g.seeds.map((s) => [s.seed, finite(s.a), finite(s.b), finite(s.difference)]), `pairs of ${c.name} ${JSON.stringify(g.cell)}`);
      assert.deepEqual([w.difference.n, w.difference.mean, w.difference.sd], [g.difference.n, finite(g.difference.mean), finite(g.difference.sd)]);
      assert.deepEqual([w.lastDifference.n, w.lastDifference.mean], [g.lastDifference.n, finite(g.lastDifference.mean)]);
      assert.deepEqual([w.aAhead, w.bAhead, w.ties, w.p], [g.signTest.aAhead, g.signTest.bAhead, g.signTest.ties, finite(g.signTest.p)]);
    });
  });
}

suite('sweeps: a tiny local sweep through the commands, the explorer and the panel', function () {
  this.timeout(120_000);
  let api: LrcDistillApi;
  let ws: string;
  let cliJs: string;
  let fileA: string;
  let sweepId: string;
  const sweepsDir = () => join(ws, '.lrc', 'sweeps');
  const run = <T>(command: string, ...args: unknown[]) => vscode.commands.executeCommand<T>(command, ...args);
  const node = (id: string): SweepNode | undefined => api.explorer.sweepNodes().find((n) => n.state.record.id === id);
  // The suite is a bundle of its own: its classes are not the extension's, so nodes are told apart by shape.
  const isRunNode = (n: unknown): n is RunNode => typeof n === 'object' && n !== null && 'run' in n && 'dir' in n;
  const children = (id: string) => (node(id)?.children() ?? []).filter(isRunNode);
  const sweepFolders = () => (existsSync(sweepsDir()) ? readdirSync(sweepsDir()).filter((d) => !d.startsWith('.')) : []);

  function cli(args: string[]): Promise<{ code: number | null; stdout: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [cliJs, ...args], { cwd: ws, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      child.stdout.on('data', (d) => (stdout += String(d)));
      child.stderr.on('data', () => undefined);
      child.on('exit', (code) => resolve({ code, stdout }));
    });
  }

  suiteSetup(async () => {
    const ext = vscode.extensions.getExtension<LrcDistillApi>(EXTENSION_ID)!;
    api = await ext.activate();
    cliJs = join(ext.extensionPath, 'dist', 'cli.js');
    ws = vscode.workspace.workspaceFolders![0].uri.fsPath;
    mkdirSync(join(ws, 'data'), { recursive: true });
    for (const [task, seed] of [['A', 11], ['B', 21]] as const) {
      writeFileSync(join(ws, 'data', `${task}-train.tsv`), tinyTsv(60, seed));
      writeFileSync(join(ws, 'data', `${task}-dev.tsv`), tinyTsv(24, seed + 1));
    }
    fileA = join(ws, 'tiny.sweep.json');
    writeFileSync(fileA, JSON.stringify(sweepFile('tiny', ['A', 'B'], { LRC: { kind: 'lrc' }, MSE: { kind: 'mse' }, alone: { kind: 'student' } }, [42, 7, 13]), null, 2));
  });

  suiteTeardown(async () => {
    // No pool may outlive the suite.
    for (const s of api.sweeps.service.states().filter((x) => x.live)) await run('lrcDistill.cancelSweep', { sweepId: s.record.id });
  });

  test('the sweep commands are contributed with category LRC, registered, and their menus fit the sweep\'s state', async () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as {
      contributes: { commands: { command: string; category: string }[]; menus: Record<string, { command: string; when?: string }[]> };
    };
    const contributed = new Map(pkg.contributes.commands.map((c) => [c.command, c]));
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const id of SWEEP_COMMANDS) {
      assert.equal(contributed.get(id)?.category, 'LRC', `${id} is not contributed in category LRC`);
      assert.ok(registered.has(id), `${id} is not registered`);
    }
    // The item menus' `when` clauses, evaluated on the context values the explorer gives.
    const shows = (command: string, viewItem: string) => pkg.contributes.menus['view/item/context'].some((m) => {
      if (m.command !== command) return false;
      const eq = /viewItem == ([\w.]+)/.exec(m.when ?? '');
      const re = /viewItem =~ \/(.+)\/$/.exec(m.when ?? '');
      return eq ? eq[1] === viewItem : re ? new RegExp(re[1]).test(viewItem) : false;
    });
    assert.ok(shows('lrcDistill.cancelSweep', 'sweep.live') && !shows('lrcDistill.cancelSweep', 'sweep.done'));
    assert.ok(shows('lrcDistill.resumeSweep', 'sweep.stopped') && !shows('lrcDistill.resumeSweep', 'sweep.live') && !shows('lrcDistill.resumeSweep', 'sweep.done'));
    assert.ok(shows('lrcDistill.sweepReport', 'sweep.done') && shows('lrcDistill.openSweep', 'sweep.live'));
    // A sweep's run keeps the run menus, but its sweep starts it: no Start/Resume of its own.
    assert.ok(shows('lrcDistill.startRun', 'run.lrc.stopped') && !shows('lrcDistill.startRun', 'run.lrc.stopped.sweep'));
    assert.ok(shows('lrcDistill.openDashboard', 'run.lrc.running.sweep') && shows('lrcDistill.exportStudent', 'run.lrc.finished.sweep'));
    assert.ok(shows('lrcDistill.stopRun', 'run.mse.running.sweep'));
  });

  test('Dry Run Sweep lists the planned teachers and runs and creates nothing', async () => {
    const r = await run<{ ok: boolean; text: string; uri: string }>('lrcDistill.dryRunSweep', vscode.Uri.file(fileA));
    assert.ok(r?.ok, `dry run: ${JSON.stringify(r)}`);
    assert.match(r.text, /2 teacher\(s\), 18 run\(s\); nothing created/);
    assert.equal(r.text.split('\n').filter((l) => /^(teacher|lrc|mse|student)\s/.test(l)).length, 20);
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === r.uri);
    assert.ok(doc?.getText().includes('tiny B alone seed 13'), 'the dry run\'s document shows the planned runs');
    assert.deepEqual(sweepFolders(), [], 'a dry run made a sweep');
  });

  test('a sweep file with a bad field is refused with the file and the field named, and nothing is made', async () => {
    const bad = join(ws, 'bad.sweep.json');
    const spec = sweepFile('bad', ['A'], { LRC: { kind: 'lrc' } }, [1]);
    writeFileSync(bad, JSON.stringify({ ...spec, base: { ...spec.base, maxLength: -1 } }));
    const r = await run<{ ok: boolean; error: string; code: number }>('lrcDistill.runSweep', vscode.Uri.file(bad), { executor: 'local' });
    assert.equal(r?.ok, false);
    assert.equal(r.code, 2, 'validation errors exit with 2');
    assert.ok(r.error.includes(bad) && r.error.includes('maxLength'), r.error);
    assert.deepEqual(sweepFolders(), []);
  });

  test('Run Sweep (local): the explorer shows the sweep live, with its runs under it, until every run finished', async () => {
    const r = await run<{ ok: boolean; sweepId: string; executor: string }>('lrcDistill.runSweep', vscode.Uri.file(fileA), { executor: 'local' });
    assert.ok(r?.ok, `runSweep: ${JSON.stringify(r)}`);
    sweepId = r.sweepId;
    // The panel, open from the start, must follow the sweep live.
    await run('lrcDistill.openSweep', { sweepId });
    const live = await waitFor('the sweep node live', () => (node(sweepId)?.contextValue === 'sweep.live' ? node(sweepId) : undefined), 20_000);
    assert.match(String(live.description), / · local ×2 · \d\d?:\d\d/);
    assert.equal(live.label, 'tiny');
    const members = children(sweepId);
    assert.equal(members.length, 20, 'two teachers and 18 runs under the sweep');
    assert.deepEqual(members.slice(0, 2).map((n) => n.label), ['A teacher', 'B teacher']);
    assert.ok(members.every((n) => String(n.contextValue).endsWith('.sweep') && n.id === `run:${n.run.id}`));
    const topLevel = api.explorer.getChildren().filter(isRunNode).map((n) => n.run.id);
    assert.ok(!members.some((m) => topLevel.includes(m.run.id)), 'a sweep\'s run is also at the top level');
    const running = await waitFor('a run shown running with its step', () => children(sweepId).find((n) => n.sweep?.member.state === 'running' && /^step \d+\/\d+$/.test(String(n.description))), 30_000);
    assert.equal((running.iconPath as vscode.ThemeIcon).id, 'sync~spin');
    assert.match(String(node(sweepId)!.description), /\d+ running/);
    assert.ok(running.run.sweep?.id === sweepId);
    const done = await waitFor('every run of the sweep shown finished', () => (node(sweepId)?.contextValue === 'sweep.done' ? node(sweepId) : undefined), 110_000);
    assert.match(String(done.description), /^20 finished · local ×2 · /);
    assert.ok(children(sweepId).every((n) => n.sweep?.member.state === 'finished' && /^accuracy \d\.\d{4}$/.test(String(n.description))), children(sweepId).map((n) => n.description).join('; '));
  });

  test('the sweep panel followed the sweep live and shows the report\'s numbers', async () => {
    const panel = api.sweeps.panels.get(sweepId);
    assert.ok(panel, 'no panel of the sweep');
    const view = await waitFor('the panel showing the finished sweep', () => (panel.view?.done ? panel.view : undefined), 20_000);
    const views = panel.posted.filter((m) => DidLoadSweepNotification.is(m) || DidChangeSweepNotification.is(m)).map((m) => (m.params as { sweep: SweepView }).sweep);
    const finished = views.map((v) => v.counts.finished);
    assert.ok(views.length >= 3 && finished[0] < 20 && views.some((v) => v.live), `the panel was not updated live: finished counts ${finished.join(', ')}`);
    assert.deepEqual(finished, [...finished].sort((a, b) => a - b), 'finished counts went down');
    assert.deepEqual(view.counts, { finished: 20, running: 0, pending: 0, waiting: 0, failed: 0 });
    const report = aggregateSweep(reportInputOf(readSweep(join(sweepsDir(), sweepId))));
    assertViewMatchesReport(view, report);
    assert.equal(view.cells.length, 6);
    assert.deepEqual(view.comparisons.map((c) => [c.name, c.groups.length]), [['LRC - MSE', 2], ['LRC - alone', 2]]);
    assert.ok(view.cells.every((c) => c.seeds.length === 3 && c.value.n === 3 && c.teacherValue !== null));
    // The runs table of the report, by run: every run's exported value and its training details.
    const rows = new Map(report.runs.flatMap((t) => t.rows).map((r) => [r.runId, r]));
    for (const m of view.members) {
      const r = rows.get(m.runId);
      assert.ok(r && m.details, `no runs-table row for ${m.name}`);
      assert.equal(m.details.value, r.primary ? finite(r.metrics[r.primary]) : null);
      assert.equal(m.details.bestStep, r.details?.bestStep);
      assert.ok(m.details.parameters && m.details.parameters > 0 && m.details.trainSeconds !== undefined, JSON.stringify(m.details));
    }
  });

  test('Sweep Report opens the text of `lrc-distill sweep report` as markdown', async () => {
    const r = await run<{ uri: string; text: string }>('lrcDistill.sweepReport', { sweepId });
    assert.ok(r, 'sweepReport returned nothing');
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.toString(), r.uri);
    assert.equal(editor?.document.languageId, 'markdown');
    const printed = await cli(['sweep', 'report', sweepId]);
    assert.equal(printed.code, 0);
    assert.equal(r.text, printed.stdout);
    assert.match(r.text, /### LRC - MSE: LRC - MSE on method, paired by seed/);
  });

  test('Cancel from the panel stops a live sweep; Resume Sweep goes on and finishes it', async () => {
    const small = join(ws, 'small.sweep.json');
    writeFileSync(small, JSON.stringify(sweepFile('small', ['A'], { LRC: { kind: 'lrc' }, MSE: { kind: 'mse' } }, [1, 2]), null, 2));
    const r = await run<{ ok: boolean; sweepId: string }>('lrcDistill.runSweep', small, { executor: 'local' });
    assert.ok(r?.ok, JSON.stringify(r));
    const id = r.sweepId;
    await run('lrcDistill.openSweep', { sweepId: id });
    const panel = api.sweeps.panels.get(id)!;
    await waitFor('the small sweep running', () => panel.view?.live && panel.view.counts.running > 0, 30_000);
    panel.receive(SweepActionNotification.create({ sweepId: id, action: { type: 'cancel' } }));
    const stopped = await waitFor('the cancelled sweep stopped', () => (node(id)?.contextValue === 'sweep.stopped' ? node(id) : undefined), 40_000);
    assert.match(String(stopped.description), /cancelled/);
    assert.ok(readSweep(join(sweepsDir(), id)).cancelledAt, 'sweep.json has no cancelledAt');
    assert.ok(!stopped.state.done);
    await waitFor('the panel showing the sweep cancelled', () => panel.view && !panel.view.live && panel.view.cancelledAt, 10_000);
    const resumed = await run<{ message: string }>('lrcDistill.resumeSweep', { sweepId: id });
    assert.match(resumed?.message ?? '', /local pool of \d+ worker/);
    await waitFor('the resumed sweep done', () => node(id)?.contextValue === 'sweep.done', 60_000);
    assert.match(String(node(id)!.description), /^5 finished · local ×2 · /);
  });
});
