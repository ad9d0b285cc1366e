// Inside a real VS Code: the analysis views on a tiny run set made here with the CLI (a teacher, an LRC
// student and its MSE baseline on a tiny TSV task) and on a synthetic run of 5,000 cases. Each page is
// read through the probe command (what it shows, as data) and driven the way a click or an edit would
// (the step slider, the distance switch, playback, a filter, the search, a row, the exports); what it
// shows is checked against the analysis files. Also the CodeLens and hover of the run's dev.tsv,
// "Analyze Selection" against the paired analysis's own case record, "Compute Analysis Now", and a new
// analysis file of a running run appearing in an open heatmap.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';

const EXTENSION_ID = 'lrc-distill.lrc-distill';

interface Probe {
  ok: boolean;
  error?: string;
  text: string;
  title: string;
  snapshot: Record<string, any>;
}

type Action = { type: 'click'; selector: string } | { type: 'input'; selector: string; value: string };

function probe(view: 'heatmap' | 'cases' | 'selection', runId?: string, actions: Action[] = [], saveAs?: string): Promise<Probe> {
  return vscode.commands.executeCommand<Probe>('lrcDistill.analysis.probe', { view, runId, actions, saveAs }) as Promise<Probe>;
}

async function until<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

interface FileCase {
  id: string;
  text: string;
  label: number;
  teacher: { prediction: number; probabilities: number[] };
  lrc: { prediction: number; probabilities: number[]; angular: number[]; mse: number[] };
  mse: { prediction: number; probabilities: number[]; angular: number[]; mse: number[] };
}
interface FileStudent { mapping: { student: number; teacher: number }[]; grid: { angular: number[][]; mse: number[][] } }
interface AnalysisJson { step: number; counts: { examples: number }; task: { labelNames: string[] }; students: { lrc?: FileStudent; mse?: FileStudent }; cases: FileCase[] }

const near = (a: number, b: number, tol: number) => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));

suite('analysis views: heatmap, case analysis, inline cases, Analyze Selection', function () {
  this.timeout(180_000);
  let root: string;
  let ws: string;
  let runs: { teacherId: string; lrcId: string; mseId: string; train: string; dev: string };
  let synthetic: { runId: string; dir: string; file: string };
  let runsDir: string;
  const file = (runId: string, step: number): AnalysisJson =>
    JSON.parse(readFileSync(join(runsDir, runId, 'analysis', `step-${String(step).padStart(6, '0')}.json`), 'utf8')) as AnalysisJson;

  suiteSetup(async function () {
    this.timeout(180_000);
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    await ext.activate();
    root = ext.extensionPath;
    ws = vscode.workspace.workspaceFolders![0].uri.fsPath;
    runsDir = join(ws, '.lrc', 'runs');
    // a child process, awaited: the extension host must stay responsive meanwhile
    const fixture = async (args: string[]) => {
      try {
        const { stdout } = await promisify(execFile)(process.execPath, [join(root, 'test', 'e2e', 'analysisFixtures.mjs'), ...args], { encoding: 'utf8', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
        return JSON.parse(stdout.trim().split('\n').pop()!);
      } catch (e) {
        throw new Error(`analysisFixtures.mjs ${args[0]} failed: ${(e as Error).message}`);
      }
    };
    const t0 = Date.now();
    runs = await fixture(['tiny', join(ws, 'analysis-data'), runsDir]);
    synthetic = await fixture(['synthetic', runsDir, '5000']);
    console.log(`      the run set took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('the layer heatmap shows both students of the latest (paired) file, then each run\'s own file at the first step', async () => {
    const opened = await vscode.commands.executeCommand<{ runId: string; title: string }>('lrcDistill.openLayerHeatmap', { runDir: join(runsDir, runs.lrcId) });
    assert.equal(opened?.runId, runs.lrcId);
    const last = file(runs.lrcId, 10);
    const p = await until('the latest step drawn', async () => {
      const r = await probe('heatmap', runs.lrcId);
      return r.snapshot.drawnStep === 10 && r.snapshot.sides?.mse ? r : undefined;
    });
    assert.deepEqual(p.snapshot.steps, [2, 4, 6, 8, 10]);
    for (const role of ['lrc', 'mse'] as const) {
      assert.deepEqual(p.snapshot.sides[role].angular, last.students[role]!.grid.angular, `${role} angular grid = the file's`);
      assert.deepEqual(p.snapshot.sides[role].mse, last.students[role]!.grid.mse, `${role} MSE grid = the file's`);
      assert.deepEqual(p.snapshot.sides[role].mapping, last.students[role]!.mapping);
      assert.equal(p.snapshot.sides[role].examples, last.counts.examples);
    }
    assert.deepEqual(p.snapshot.scale, { min: 0, max: 2 });
    assert.match(p.text, /step 10 \(5 of 5\)/);
    assert.match(p.title, /^Layer Heatmap: /);
    // the slider to the first step: each student from its own run's file
    const first = await probe('heatmap', runs.lrcId, [{ type: 'input', selector: '#step-slider', value: '0' }]);
    assert.equal(first.snapshot.step, 2);
    assert.equal(first.snapshot.drawnStep, 2);
    assert.deepEqual(first.snapshot.sides.lrc.angular, file(runs.lrcId, 2).students.lrc!.grid.angular);
    assert.deepEqual(first.snapshot.sides.mse.angular, file(runs.mseId, 2).students.mse!.grid.angular);
    assert.equal(first.snapshot.sides.mse.runId, runs.mseId);
    // MSE: one scale for both students, up to a nice ceiling of the largest MSE loaded
    const mse = await probe('heatmap', runs.lrcId, [{ type: 'click', selector: '#kind-mse' }]);
    assert.equal(mse.snapshot.kind, 'mse');
    const loadedMax = Math.max(...[2, 4, 6, 8, 10].flatMap((s) => [file(runs.lrcId, s).students.lrc!, (s === 10 ? file(runs.lrcId, s) : file(runs.mseId, s)).students.mse!].flatMap((st) => st.grid.mse.flat())));
    assert.ok(mse.snapshot.scale.max >= loadedMax && mse.snapshot.scale.max <= 2.5 * loadedMax, `MSE scale 0..${mse.snapshot.scale.max} for values up to ${loadedMax}`);
    await probe('heatmap', runs.lrcId, [{ type: 'click', selector: '#kind-angular' }]);
  });

  test('heatmap playback runs to the last step; the exports write the PNG and the CSV of the grids', async () => {
    await probe('heatmap', runs.lrcId, [{ type: 'input', selector: '#speed', value: '500' }, { type: 'input', selector: '#step-slider', value: '0' }, { type: 'click', selector: '#play' }]);
    const seen = new Set<number>();
    const done = await until('playback to reach the last step', async () => {
      const r = await probe('heatmap', runs.lrcId);
      seen.add(r.snapshot.step);
      return r.snapshot.step === 10 && !r.snapshot.playing ? r : undefined;
    }, 20_000);
    assert.equal(done.snapshot.follow, true);
    assert.ok(seen.size >= 3, `playback showed steps ${[...seen].join(', ')}`);
    const out = join(ws, 'analysis-exports');
    mkdirSync(out, { recursive: true });
    const csvPath = join(out, 'grids.csv');
    await probe('heatmap', runs.lrcId, [{ type: 'click', selector: '#export-csv' }], csvPath);
    await until('the CSV file', () => existsSync(csvPath));
    const lines = readFileSync(csvPath, 'utf8').trim().split('\n');
    const last = file(runs.lrcId, 10);
    assert.equal(lines.length, 1 + 2 * 3 * 3); // header, 2 students x 3 student layers x 3 teacher layers
    const row = lines.find((l) => l.startsWith(`${runs.lrcId},mse,10,10,2,2,1,`))!;
    assert.ok(row, lines.join('\n'));
    const fields = row.split(',');
    assert.equal(Number(fields[7]), last.students.mse!.grid.angular[2][1]);
    assert.equal(Number(fields[8]), last.students.mse!.grid.mse[2][1]);
    const pngPath = join(out, 'heatmap.png');
    await probe('heatmap', runs.lrcId, [{ type: 'click', selector: '#export-png' }], pngPath);
    await until('the PNG file', () => existsSync(pngPath));
    const png = readFileSync(pngPath);
    assert.deepEqual([...png.subarray(1, 4)].map((b) => String.fromCharCode(b)).join(''), 'PNG');
    assert.ok(png.readUInt32BE(16) > 300, `PNG width ${png.readUInt32BE(16)}`);
  });

  test('a new analysis file of the run appears in the open heatmap (file watcher)', async () => {
    const dir = join(runsDir, runs.lrcId, 'analysis');
    const target = join(dir, 'step-000012.json');
    const json = readFileSync(join(dir, 'step-000008.json'), 'utf8').replace('"step": 8,', '"step": 12,');
    const tmp = join(ws, 'analysis-exports', 'step-000012.json');
    writeFileSync(tmp, json);
    copyFileSync(tmp, target);
    try {
      const p = await until('step 12 in the heatmap', async () => {
        const r = await probe('heatmap', runs.lrcId);
        return r.snapshot.steps.includes(12) && r.snapshot.drawnStep === 12 ? r : undefined;
      }, 15_000);
      assert.deepEqual(p.snapshot.sides.lrc.angular, file(runs.lrcId, 8).students.lrc!.grid.angular);
      assert.equal(p.snapshot.sides.mse.sourceStep, 10, 'the baseline has no file at 12: its latest, step 10');
    } finally {
      rmSync(target, { force: true });
    }
  });

  test('the case analysis shows the paired file\'s cases; a filter, the search and a row with its chart', async () => {
    await vscode.commands.executeCommand('lrcDistill.openCaseAnalysis', { runDir: join(runsDir, runs.lrcId) });
    const paired = file(runs.lrcId, 10);
    const p = await until('the cases', async () => {
      const r = await probe('cases', runs.lrcId);
      return r.snapshot.file ? r : undefined;
    });
    assert.deepEqual(p.snapshot.file, { runId: runs.lrcId, step: 10, cases: paired.cases.length });
    assert.deepEqual(p.snapshot.visible, paired.cases.map((c) => c.id));
    assert.deepEqual(p.snapshot.files.map((f: { runId: string; step: number }) => `${f.runId === runs.lrcId ? 'lrc' : 'mse'}@${f.step}`), ['lrc@2', 'lrc@4', 'lrc@6', 'lrc@8', 'lrc@10', 'mse@2', 'mse@4', 'mse@6', 'mse@8', 'mse@10']);
    // the filters, counted here from the file
    const wrong = (s: { prediction: number }, c: FileCase) => s.prediction !== c.label;
    const expected = {
      bothWrong: paired.cases.filter((c) => wrong(c.lrc, c) && wrong(c.mse, c)).map((c) => c.id),
      teacherDisagree: paired.cases.filter((c) => c.lrc.prediction !== c.teacher.prediction || c.mse.prediction !== c.teacher.prediction).map((c) => c.id),
      lrcRightMseWrong: paired.cases.filter((c) => !wrong(c.lrc, c) && wrong(c.mse, c)).map((c) => c.id),
    };
    const means = paired.cases.map((c) => c.mse.mse.reduce((a, b) => a + b, 0) / c.mse.mse.length).sort((a, b) => a - b);
    const m = means.length;
    const median = m % 2 ? means[(m - 1) / 2] : (means[m / 2 - 1] + means[m / 2]) / 2;
    const small = paired.cases.filter((c) => wrong(c.mse, c) && c.mse.mse.reduce((a, b) => a + b, 0) / c.mse.mse.length < median).map((c) => c.id);
    assert.ok(near(p.snapshot.smallMseThreshold, median, 1e-9));
    assert.deepEqual(p.snapshot.counts, { all: m, lrcRightMseWrong: expected.lrcRightMseWrong.length, mseWrongSmallMse: small.length, bothWrong: expected.bothWrong.length, teacherDisagree: expected.teacherDisagree.length });
    for (const [filter, ids] of Object.entries({ ...expected, mseWrongSmallMse: small })) {
      const r = await probe('cases', runs.lrcId, [{ type: 'click', selector: `#filter-${filter}` }]);
      assert.deepEqual(r.snapshot.visible, ids, filter);
      assert.equal(r.snapshot.state.filter, filter);
    }
    assert.match((await probe('cases', runs.lrcId)).text, /below the median of this file's cases/);
    // all, searched by a word of one case's text, then its row
    const target = paired.cases[3];
    const word = target.text.split(' ').sort((a, b) => b.length - a.length)[0];
    const found = await probe('cases', runs.lrcId, [{ type: 'click', selector: '#filter-all' }, { type: 'input', selector: '#search', value: target.text }]);
    assert.ok(found.snapshot.visible.includes(target.id) && found.snapshot.visible.every((id: string) => paired.cases.find((c) => c.id === id)!.text.includes(word)), `${target.text}: ${found.snapshot.visible}`);
    const chosen = await probe('cases', runs.lrcId, [{ type: 'click', selector: `tr[data-case-id="${target.id}"]` }]);
    assert.equal(chosen.snapshot.selected.id, target.id);
    assert.deepEqual(chosen.snapshot.selected.lrc.angular, target.lrc.angular);
    assert.deepEqual(chosen.snapshot.charts.map((c: { id: string }) => c.id), ['chart-angular', 'chart-mse']);
    assert.ok(chosen.snapshot.charts.every((c: { width: number }) => c.width > 200));
    // sort by the baseline's MSE, descending
    const sorted = await probe('cases', runs.lrcId, [{ type: 'input', selector: '#search', value: '' }, { type: 'click', selector: '#sort-mseMse' }]);
    const byMse = [...paired.cases].map((c, i) => ({ id: c.id, v: c.mse.mse.reduce((a, b) => a + b, 0) / c.mse.mse.length, i })).sort((a, b) => b.v - a.v || a.i - b.i).map((x) => x.id);
    assert.deepEqual(sorted.snapshot.visible, byMse);
  });

  test('a CodeLens over each example line of the run\'s dev.tsv, a hover, and its click selects the case', async () => {
    const doc = await vscode.workspace.openTextDocument(runs.dev);
    await vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
    const paired = file(runs.lrcId, 10);
    const labels = paired.task.labelNames;
    const lenses = await until('the CodeLenses', async () => {
      const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
      const ours = (l ?? []).filter((x) => x.command?.title.startsWith('Teacher'));
      return ours.length > 0 ? ours : undefined;
    });
    assert.equal(lenses.length, paired.cases.length, 'one CodeLens per dev example');
    const lens = lenses.find((l) => l.range.start.line === 1)!;
    const c = paired.cases.find((x) => x.id === '2')!;
    const mark = (p: number) => (p === c.label ? '✓' : '✗');
    assert.ok(lens.command!.title.startsWith(`Teacher ${mark(c.teacher.prediction)} ${labels[c.teacher.prediction]} ${c.teacher.probabilities[c.teacher.prediction].toFixed(2)} · LRC ${mark(c.lrc.prediction)} ${labels[c.lrc.prediction]}`), lens.command!.title);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(1, 3));
    const md = hovers.flatMap((h) => h.contents.map((x) => (typeof x === 'string' ? x : (x as vscode.MarkdownString).value))).join('\n');
    assert.match(md, /\*\*Case 2\*\*/);
    assert.ok(md.includes(`| ${c.lrc.angular.map((v) => String(Number(v.toPrecision(3)))).join(' · ')} |`), md); // 3 digits per layer
    // the CodeLens's command: the case analysis with that case selected
    await vscode.commands.executeCommand(lens.command!.command, ...(lens.command!.arguments ?? []));
    const p = await until('case 2 selected', async () => {
      const r = await probe('cases', runs.lrcId);
      return r.snapshot.state.selectedId === '2' ? r : undefined;
    });
    assert.equal(p.snapshot.selected.text, c.text);
  });

  test('Analyze Selection: a selected example line through the three models, beside the editor, as in the paired analysis', async () => {
    const doc = await vscode.workspace.openTextDocument(runs.dev);
    const editor = await vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
    const line = 3; // case id "4"
    editor.selection = new vscode.Selection(line, 0, line, doc.lineAt(line).text.length);
    const result = await vscode.commands.executeCommand<Record<string, any>>('lrcDistill.analyzeSelection');
    assert.ok(result, 'the command returned nothing (it failed; see the log)');
    const c = file(runs.lrcId, 10).cases.find((x) => x.id === '4')!;
    assert.equal(result.text, c.text);
    assert.equal(result.textPair, undefined, 'the label column is not a second text');
    assert.equal(result.runId, runs.lrcId);
    // the same models as the paired analysis: the same answers, up to the file's 5 digits
    for (const model of ['teacher', 'lrc', 'mse'] as const) {
      assert.equal(result[model].prediction, c[model].prediction, `${model} prediction`);
      result[model].probabilities.forEach((v: number, k: number) => assert.ok(near(v, c[model].probabilities[k], 1e-3), `${model} p[${k}] ${v} vs ${c[model].probabilities[k]}`));
    }
    for (const role of ['lrc', 'mse'] as const) {
      result[role].angular.forEach((v: number, k: number) => assert.ok(near(v, c[role].angular[k], 2e-3), `${role} angular[${k}] ${v} vs ${c[role].angular[k]}`));
      result[role].mse.forEach((v: number, k: number) => assert.ok(near(v, c[role].mse[k], 2e-3), `${role} mse[${k}] ${v} vs ${c[role].mse[k]}`));
    }
    const p = await until('the selection panel', async () => {
      const r = await probe('selection');
      return r.snapshot.history?.length ? r : undefined;
    });
    assert.equal(p.snapshot.history[0].text, c.text);
    assert.match(p.text, /LRC student/);
    const tab = vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => ({ t, column: g.viewColumn }))).find(({ t }) => t.label === 'LRC: Analyze Selection');
    assert.ok(tab && tab.column !== vscode.ViewColumn.One, `the panel is docked beside the editor (column ${tab?.column})`);
  });

  test('Compute Analysis Now writes the paired analysis of the finished LRC run and its baseline again', async () => {
    const before = file(runs.lrcId, 10);
    const result = await vscode.commands.executeCommand<{ file: string }>('lrcDistill.computeAnalysis', { runDir: join(runsDir, runs.lrcId) });
    assert.ok(result?.file.endsWith('step-000010.json'), JSON.stringify(result));
    const after = file(runs.lrcId, 10);
    assert.ok(after.students.lrc && after.students.mse);
    assert.deepEqual(after.cases.map((c) => [c.id, c.lrc.prediction, c.mse.prediction]), before.cases.map((c) => [c.id, c.lrc.prediction, c.mse.prediction]));
    after.students.lrc!.grid.angular.flat().forEach((v, k) => assert.ok(near(v, before.students.lrc!.grid.angular.flat()[k], 1e-3)));
  });

  test('5,000 cases: the table renders a page, filters and pages; the 13 x 25 heatmap draws (timings)', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('lrcDistill.openCaseAnalysis', { runDir: synthetic.dir });
    const p = await until('5,000 cases', async () => {
      const r = await probe('cases', synthetic.runId);
      return r.snapshot.file?.cases === 5000 && r.snapshot.timings.loadPaintMs > 0 ? r : undefined;
    }, 60_000);
    const json = JSON.parse(readFileSync(synthetic.file, 'utf8')) as AnalysisJson;
    assert.deepEqual(p.snapshot.visible, json.cases.slice(0, 50).map((c) => c.id));
    const load = { ...p.snapshot.timings };
    const filtered = await probe('cases', synthetic.runId, [{ type: 'click', selector: '#filter-lrcRightMseWrong' }]);
    const expected = json.cases.filter((c) => c.lrc.prediction === c.label && c.mse.prediction !== c.label);
    assert.deepEqual(filtered.snapshot.visible, expected.slice(0, 50).map((c) => c.id));
    const filterMs = filtered.snapshot.timings.renderPaintMs;
    const paged = await probe('cases', synthetic.runId, [{ type: 'click', selector: '#next-page' }]);
    assert.deepEqual(paged.snapshot.visible, expected.slice(50, 100).map((c) => c.id));
    console.log(`      5,000 cases: first page ${load.loadMs.toFixed(1)} ms after the message (${load.loadPaintMs.toFixed(1)} ms to paint); filter ${filterMs.toFixed(1)} ms, next page ${paged.snapshot.timings.renderPaintMs.toFixed(1)} ms to paint`);
    assert.ok(load.loadPaintMs < 3000 && filterMs < 1000, 'the table must stay fast with 5,000 cases');
    await vscode.commands.executeCommand('lrcDistill.openLayerHeatmap', { runDir: synthetic.dir });
    const h = await until('the 13 x 25 heatmap', async () => {
      const r = await probe('heatmap', synthetic.runId);
      return r.snapshot.drawnStep === 100 && r.snapshot.paintMs > 0 ? r : undefined;
    });
    assert.equal(h.snapshot.sides.lrc.angular.length, 13);
    assert.equal(h.snapshot.sides.lrc.angular[0].length, 25);
    assert.deepEqual(h.snapshot.sides.mse.angular, json.students.mse!.grid.angular);
    console.log(`      heatmap 13 x 25 x 2 students: draw ${h.snapshot.drawMs.toFixed(1)} ms, message to paint ${h.snapshot.paintMs.toFixed(1)} ms`);
    assert.ok(h.snapshot.drawMs < 200, `drawing took ${h.snapshot.drawMs} ms`);
  });
});
