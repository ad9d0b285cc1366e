// Inside a real VS Code, on a tiny sweep over two student shapes (test/fixtures/frontSweep.mjs: task A,
// shapes 1x16 and 2x24, LRC, seeds 1 and 2, a teacher; each run measures its export at its end): the
// sweep panel's view carries the front of every task with the numbers of `lrc-distill sweep report
// --format json` (scores, latencies, speed-ups, the front, the recommended cell and why); `sweep
// measure` measures again and the panel follows; Export Recommended Student writes the recommended
// cell's model where it is told.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { LrcDistillApi } from '../../extension/extension';
import type { FrontView, SummaryView } from '../../webview/sweep/protocol';
import { frontSweepFile, writeFrontData } from '../fixtures/frontSweep.mjs';
import { waitFor } from './waitFor';

const EXTENSION_ID = 'lrc-distill.lrc-distill';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const summary = (s: Json) => ({ n: s.n, mean: s.mean, sd: s.sd });
const plain = (s: SummaryView) => ({ n: s.n, mean: s.mean, sd: s.sd });

/** The panel's front against the report's JSON front, number for number (NaN is null on both sides). */
function assertFrontMatchesJson(view: FrontView, json: Json): void {
  assert.equal(view.rule, json.rule.text);
  assert.equal(view.tasks.length, json.tasks.length, 'tasks');
  json.tasks.forEach((t: Json, i: number) => {
    const v = view.tasks[i];
    const where = `task ${t.task}`;
    assert.deepEqual([v.task, v.primary, v.front, v.recommended, v.reason, v.fallback, v.quiet, v.oneSession, v.notes],
      [t.task, t.primary, t.front, t.recommended, t.reason, t.fallback, t.quiet, t.oneSession, t.notes], where);
    assert.deepEqual(v.teacher && [v.teacher.runId, v.teacher.score, v.teacher.latencyMs, v.teacher.p95Ms, v.teacher.parameters],
      t.teacher && [t.teacher.runId, t.teacher.score, t.teacher.latencyMs, t.teacher.p95Ms, t.teacher.parameters], `${where} teacher`);
    assert.equal(v.cells.length, t.cells.length, `${where} cells`);
    t.cells.forEach((c: Json, j: number) => {
      const w = v.cells[j];
      const at = `${where} cell ${c.label}`;
      assert.deepEqual([w.label, w.cell, w.onFront, w.recommended, w.parameters, w.sizeF32Bytes, w.sizeF16Bytes, w.notes],
        [c.label, c.cell, c.onFront, c.recommended, c.parameters, c.sizeF32Bytes, c.sizeF16Bytes, c.notes], at);
      for (const k of ['score', 'latencyMs', 'p95Ms', 'examplesPerSecond', 'speedUp'] as const) assert.deepEqual(plain(w[k]), summary(c[k]), `${at} ${k}`);
      assert.deepEqual(w.seeds.map((s) => [s.seed, s.runId, s.status, s.score, s.latencyMs, s.p95Ms, s.speedUp, s.quiet]),
        c.seeds.map((s: Json) => [s.seed, s.runId, s.status, s.score, s.latencyMs, s.p95Ms, s.speedUp, s.quiet]), `${at} seeds`);
    });
  });
}

suite('sweep front: score against serving cost in the sweep panel, and Export Recommended Student', function () {
  this.timeout(240_000);
  let api: LrcDistillApi;
  let ws: string;
  let cliJs: string;
  let sweepId: string;
  const run = <T>(command: string, ...args: unknown[]) => vscode.commands.executeCommand<T>(command, ...args);

  function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [cliJs, ...args], { cwd: ws, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += String(d)));
      child.stderr.on('data', (d) => (stderr += String(d)));
      child.on('exit', (code) => resolve({ code, stdout, stderr }));
    });
  }

  async function reportFront(): Promise<Json> {
    const r = await cli(['sweep', 'report', sweepId, '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout).front;
  }

  suiteSetup(async () => {
    const ext = vscode.extensions.getExtension<LrcDistillApi>(EXTENSION_ID)!;
    api = await ext.activate();
    cliJs = join(ext.extensionPath, 'dist', 'cli.js');
    ws = vscode.workspace.workspaceFolders![0].uri.fsPath;
    writeFrontData(ws, 'front-data', ['A']);
    writeFileSync(join(ws, 'front.sweep.json'), JSON.stringify(frontSweepFile('front', 'front-data', ['A']), null, 2));
  });

  suiteTeardown(async () => {
    for (const s of api.sweeps.service.states().filter((x) => x.live)) await run('lrcDistill.cancelSweep', { sweepId: s.record.id });
  });

  test('Export Recommended Student is contributed in category LRC, registered, and on the sweep node\'s menu', async () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { contributes: { commands: { command: string; category: string; title: string }[]; menus: Record<string, { command: string; when?: string }[]> } };
    const c = pkg.contributes.commands.find((x) => x.command === 'lrcDistill.exportRecommendedStudent');
    assert.deepEqual([c?.category, c?.title], ['LRC', 'Export Recommended Student']);
    assert.ok((await vscode.commands.getCommands(true)).includes('lrcDistill.exportRecommendedStudent'));
    assert.ok(pkg.contributes.menus['view/item/context'].some((m) => m.command === 'lrcDistill.exportRecommendedStudent' && /viewItem =~ \/\^sweep/.test(m.when ?? '')));
  });

  test('the panel shows the front of each task with the numbers of `sweep report --format json`', async () => {
    const r = await run<{ ok: boolean; sweepId: string }>('lrcDistill.runSweep', vscode.Uri.file(join(ws, 'front.sweep.json')), { executor: 'local' });
    assert.ok(r?.ok, `runSweep: ${JSON.stringify(r)}`);
    sweepId = r.sweepId;
    await run('lrcDistill.openSweep', { sweepId });
    const panel = api.sweeps.panels.get(sweepId);
    assert.ok(panel, 'no panel of the sweep');
    // Done, and every run's serving.json read (the last may land just after its run.json).
    const view = await waitFor('the panel showing the finished sweep with every cell measured', () => {
      const v = panel.view;
      return v?.done && v.front?.tasks.every((t) => t.cells.every((c) => c.latencyMs.n === 2) && t.teacher?.latencyMs !== null) ? v : undefined;
    }, 180_000);
    const front = view.front!;
    assert.deepEqual(front.tasks.map((t) => [t.task, t.primary, t.cellAxes, t.shapeAxis, t.cells.map((c) => c.label)]), [['A', 'accuracy', ['shape', 'method'], 'shape', ['1x16 · LRC', '2x24 · LRC']]]);
    const t = front.tasks[0];
    assert.ok(t.measured && t.recommended !== null && t.front.length >= 1 && t.front.includes(t.recommended), JSON.stringify(t));
    assert.ok(t.cells[t.recommended].recommended && t.reason.length > 0);
    assertFrontMatchesJson(front, await reportFront());
  });

  test('`sweep measure` measures every export again, one after another, and the panel follows', async () => {
    const panel = api.sweeps.panels.get(sweepId)!;
    const before = panel.view!.front!.tasks[0].cells[0].seeds[0].latencyMs;
    const m = await cli(['sweep', 'measure', sweepId]);
    assert.equal(m.code, 0, m.stderr);
    const view = await waitFor('the panel showing the new measurements', () => {
      const v = panel.view;
      return v?.front?.tasks[0].quiet && v.front.tasks[0].oneSession && v.front.tasks[0].cells[0].seeds[0].latencyMs !== before ? v : undefined;
    }, 30_000);
    assertFrontMatchesJson(view.front!, await reportFront());
  });

  test('Export Recommended Student writes the recommended cell\'s model (f16) where it is told; an unknown task is refused', async () => {
    const out = join(ws, 'shipped-student');
    const r = await run<{ sweepId: string; task: string; cell: string; dtype: string; out: string }>('lrcDistill.exportRecommendedStudent', { sweepId, task: 'A', dtype: 'f16', out });
    const t = api.sweeps.panels.get(sweepId)!.view!.front!.tasks[0];
    assert.deepEqual(r && [r.task, r.cell, r.dtype, r.out], ['A', t.cells[t.recommended!].label, 'f16', out]);
    for (const f of ['config.json', 'model.safetensors']) assert.ok(existsSync(join(out, f)), `${f} missing in the export`);
    // An unknown task is refused with the tasks that have a recommendation.
    const bad = await run('lrcDistill.exportRecommendedStudent', { sweepId, task: 'Z', dtype: 'f16', out: join(ws, 'nowhere') });
    assert.equal(bad, undefined);
    assert.ok(!existsSync(join(ws, 'nowhere')));
  });
});
