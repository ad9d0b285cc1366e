// Inside a real VS Code: a general-distillation run made by the wizard's command (New General
// Distillation Run, answers given, from a tiny teacher trained with the CLI, over a .txt corpus of
// blank-line separated documents) trains in the extension's trainer, shows in the run explorer as a
// general run with its context value and children, opens in its dashboard with its curves (COS-NCE
// progress points, evaluations of the mapped layers' cosine) and in the layer heatmap with the grids of
// its analysis files; then New Distillation Run starts a task run from its student (studentInit).
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { LrcDistillApi } from '../../extension/extension';
import { readPlanFile } from '../../extension/runs/runPlan';
import type { GeneralAnswers, NewRunAnswers } from '../../extension/wizard/newRunPlan';
import { readRunRecord } from '../../trainer/runs/runStore';
import { DidAppendPointsNotification, DidLoadRunNotification, type MetricPoint } from '../../webview/dashboard/protocol';
import { tinyTsv } from '../fixtures/tinyTsv.mjs';
import { sleep, waitFor } from './waitFor';

const EXTENSION_ID = 'lrc-distill.lrc-distill';
const SHAPE = ['--layers', '1', '--hidden', '16', '--heads', '2', '--ffn', '32'];
const QUICK = ['--backend', 'wasm', '--max-length', '16', '--batch-size', '8', '--plain', '--threads', '1'];

suite('general distillation: a general run in the explorer, its dashboard and its heatmap', function () {
  this.timeout(180_000);
  let api: LrcDistillApi;
  let ws: string;
  let runsDir: string;
  let generalId: string;
  let teacherId: string;
  let data: string;

  suiteSetup(async function () {
    this.timeout(180_000);
    const ext = vscode.extensions.getExtension<LrcDistillApi>(EXTENSION_ID)!;
    api = await ext.activate();
    ws = vscode.workspace.workspaceFolders![0].uri.fsPath;
    runsDir = join(ws, '.lrc', 'runs');
    data = join(ws, 'general-data');
    mkdirSync(data, { recursive: true });
    writeFileSync(join(data, 'train.tsv'), tinyTsv(48, 11));
    writeFileSync(join(data, 'dev.tsv'), tinyTsv(16, 12));
    // the corpus: the sentences without labels, four to a document
    const sentences = tinyTsv(80, 13).trim().split('\n').slice(1).map((l) => l.split('\t')[0]);
    const docs = Array.from({ length: 20 }, (_, i) => sentences.slice(4 * i, 4 * i + 4).join(' '));
    writeFileSync(join(data, 'corpus.txt'), docs.join('\n\n') + '\n');
    // child processes, awaited: the extension host stays responsive meanwhile
    const cli = async (args: string[]) => {
      try {
        const { stdout } = await promisify(execFile)(process.execPath, [join(ext.extensionPath, 'dist', 'cli.js'), ...args, '--runs', runsDir], { cwd: ws, encoding: 'utf8', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
        return stdout;
      } catch (e) {
        throw new Error(`lrc-distill ${args[0]} failed: ${(e as Error).message}`);
      }
    };
    const teacher = await cli(['train-teacher', '--task', 'file', '--train', join(data, 'train.tsv'), '--dev', join(data, 'dev.tsv'), '--text-column', 'sentence', '--name', 'general-suite teacher', '--max-steps', '6', '--eval-every', '6', ...SHAPE, ...QUICK]);
    teacherId = /teacher run (\S+): finished/.exec(teacher)![1];
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('New General Distillation Run saves its config and trains the general run in the extension\'s trainer', async () => {
    const answers: GeneralAnswers = {
      name: 'general-suite general', teacher: { kind: 'run', runId: teacherId }, corpus: ['general-data/corpus.txt'], text: 'documents',
      student: { layers: 1, hidden: 16, heads: 2, intermediate: 32, dropout: 0.1 }, epochs: 1, learningRate: 0.003, backend: 'wasm', evalEverySteps: 4, maxLength: 16,
      overrides: { data: { devPassages: 6 }, optim: { batchSize: 8, maxSteps: 8 }, logEverySteps: 2 },
    };
    const result = await vscode.commands.executeCommand<{ configFile: string; runIds: string[] }>('lrcDistill.newGeneralRun', { answers, start: true });
    assert.ok(result && result.runIds.length === 1, `newGeneralRun returned ${JSON.stringify(result)}`);
    assert.ok(result.configFile.endsWith(join('.lrc', 'configs', 'general-suite-general.json')), result.configFile);
    const plan = readPlanFile(result.configFile);
    assert.equal(plan.run.kind, 'general');
    assert.deepEqual((plan.run.data as { paths: string[] }).paths, ['general-data/corpus.txt']);
    generalId = result.runIds[0];
    await waitFor('the general run finished', () => readRunRecord(join(runsDir, generalId)).status === 'finished', 90_000);
  });

  test('the explorer shows the general run, finished, with its kind and its files', async () => {
    const node = await waitFor('the general run in the explorer', () => api.explorer.runNodes().find((n) => n.run.id === generalId && n.run.status === 'finished'), 30_000);
    assert.equal(node.run.kind, 'general');
    assert.equal(node.contextValue, 'run.general.finished');
    assert.match((node.tooltip as vscode.MarkdownString).value, /\(general distillation \(corpus\)\)/);
    assert.match(String(node.description), /^finished · step 8\/8 · best cosine /);
    const children = node.children().map((c) => String(c.label));
    assert.ok(children.includes('analysis (2)') && children.includes('exported model'), children.join(', '));
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { contributes: { menus: Record<string, { command: string; when?: string }[]> } };
    const heatmapMenu = pkg.contributes.menus['view/item/context'].find((m) => m.command === 'lrcDistill.openLayerHeatmap')!;
    assert.ok(new RegExp(/viewItem =~ \/(.*)\/$/.exec(heatmapMenu.when!)![1].replace(/\\\\/g, '\\')).test(node.contextValue!), heatmapMenu.when);
  });

  test('its dashboard shows the COS-NCE curve and the evaluations of the mapped layers', async () => {
    await vscode.commands.executeCommand('lrcDistill.openDashboard', { runId: generalId });
    const panel = await waitFor('the general run\'s dashboard', () => api.dashboards.get(generalId), 20_000);
    const loaded = await waitFor('the run loaded into the page', () => panel.posted.find((m) => DidLoadRunNotification.is(m) && m.params.run.id === generalId));
    assert.ok(DidLoadRunNotification.is(loaded));
    assert.equal(loaded.params.run.kind, 'general');
    const points: MetricPoint[] = panel.posted.flatMap((m) => (DidLoadRunNotification.is(m) ? m.params.points : DidAppendPointsNotification.is(m) ? m.params.points : []));
    const progress = points.filter((p): p is Extract<MetricPoint, { type: 'progress' }> => p.type === 'progress');
    assert.ok(progress.length >= 4, `${progress.length} progress points`);
    for (const p of progress) {
      assert.ok(Number.isFinite(p.clean.mid) && p.clean.soft === undefined && p.clean.hard === undefined, 'COS-NCE alone');
      assert.ok(p.perturbed && Number.isFinite(p.perturbed.total), 'the perturbed loss too');
    }
    const evals = points.filter((p): p is Extract<MetricPoint, { type: 'eval' }> => p.type === 'eval');
    assert.deepEqual(evals.map((e) => e.step), [4, 8]);
    const metrics = readFileSync(join(runsDir, generalId, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((m) => m.type === 'eval');
    evals.forEach((e, k) => {
      assert.equal(e.primary, 'cosine');
      assert.equal(e.score, metrics[k].score);
      assert.equal(e.metrics.cos_nce, metrics[k].metrics.cos_nce);
    });
  });

  test('the layer heatmap shows the grids of its analysis files', async () => {
    const opened = await vscode.commands.executeCommand<{ runId: string }>('lrcDistill.openLayerHeatmap', { runDir: join(runsDir, generalId) });
    assert.equal(opened?.runId, generalId);
    const file = JSON.parse(readFileSync(join(runsDir, generalId, 'analysis', 'step-000008.json'), 'utf8'));
    const probe = async () => (await vscode.commands.executeCommand('lrcDistill.analysis.probe', { view: 'heatmap', runId: generalId })) as { snapshot: Record<string, any> } | undefined;
    const t0 = Date.now();
    let p = await probe();
    while (p?.snapshot?.drawnStep !== 8) {
      if (Date.now() - t0 > 30_000) throw new Error(`the heatmap did not draw step 8: ${JSON.stringify(p?.snapshot)}`);
      await sleep(150);
      p = await probe();
    }
    assert.deepEqual(p.snapshot.steps, [4, 8]);
    assert.deepEqual(p.snapshot.sides.lrc.angular, file.students.lrc.grid.angular);
    assert.deepEqual(p.snapshot.sides.lrc.mapping, file.students.lrc.mapping);
    assert.equal(p.snapshot.sides.mse, undefined);
  });

  test('New Distillation Run starts a task run from the general run\'s student', async () => {
    const exported = join('.lrc', 'runs', generalId, 'export');
    const answers: NewRunAnswers = {
      name: 'general-suite from general', teacher: { kind: 'run', runId: teacherId }, data: { task: 'file', train: 'general-data/train.tsv', dev: 'general-data/dev.tsv', columns: { text: 'sentence', label: 'label' } },
      student: { layers: 1, hidden: 16, heads: 2, intermediate: 32, dropout: 0.1 }, studentInit: exported, loss: 'lrc', split: 0.5, epochs: 1, learningRate: 0.003, backend: 'wasm', evalEverySteps: 4, maxLength: 16,
      overrides: { optim: { batchSize: 8, maxSteps: 6 }, eval: { analysis: false } },
    };
    const result = await vscode.commands.executeCommand<{ runIds: string[] }>('lrcDistill.newRun', { answers, start: true });
    const id = result!.runIds[0];
    await waitFor('the task run finished', () => readRunRecord(join(runsDir, id)).status === 'finished', 90_000);
    const run = readRunRecord(join(runsDir, id));
    assert.equal(run.kind, 'lrc');
    assert.equal(run.config.studentInit, exported);
  });
});
