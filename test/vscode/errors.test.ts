// Inside a real VS Code: an input error reaches the user as the one line the CLI prints, with "Open File"
// at its file:line. "Start Run From Config" on a run config with a bad field, and on one that is not
// valid JSON, shows an error notification whose message is the line `lrc-distill train-teacher --config`
// writes to stderr (exit 2) for the same file; choosing "Open File" in the workbench (its
// notification.acceptPrimaryAction command: the button, not a stub) opens the file with the cursor at
// that line. A plan file (a teacher trained first, then "run") names the line inside "run". No run is
// created by either. The VS Code API cannot read a notification: the extension's API reports each one
// as it is shown (extension/util/errorNotification.ts, onDidShowError).
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { LrcDistillApi } from '../../extension/extension';
import type { ShownError } from '../../extension/util/errorNotification';
import { tinyTsv } from '../fixtures/tinyTsv.mjs';

const EXTENSION_ID = 'lrc-distill.lrc-distill';
const DATA = { task: 'file', train: 'data/train.tsv', dev: 'data/dev.tsv', columns: { text: 'sentence', label: 'label' } };
const TINY_SHAPE = { layers: 1, hidden: 16, heads: 2, intermediate: 32 };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(100);
  }
}

/** The 1-based line of the first line of `text` that contains `needle`. */
function lineOf(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  assert.ok(i >= 0, `${needle} is not in the file`);
  return i + 1;
}

suite('errors: an input error as a notification, the CLI\'s line, Open File at the line', function () {
  this.timeout(60_000);
  let api: LrcDistillApi;
  let ws: string;
  let cliJs: string;
  let scratch: string;
  const written: string[] = [];

  /** A file in .lrc/configs/ with exactly this text. */
  function writeConfigText(name: string, text: string): string {
    const folder = join(ws, '.lrc', 'configs');
    mkdirSync(folder, { recursive: true });
    const file = join(folder, `${name}.json`);
    writeFileSync(file, text);
    written.push(file);
    return file;
  }

  /** `node dist/cli.js <args>` as a person types it: exit code and stderr. */
  function cli(args: string[]): Promise<{ code: number | null; stderr: string }> {
    const child = spawn(process.execPath, [cliJs, ...args], { cwd: ws, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', LRC_DEBUG: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.stdout.on('data', () => undefined);
    return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
  }

  /** The runs of the workspace's runs folder (none may appear through a refused config). */
  const runFolders = () => (existsSync(join(ws, '.lrc', 'runs')) ? readdirSync(join(ws, '.lrc', 'runs')).sort() : []);

  /** Runs Start Run From Config on `file` and returns the error notification it shows. */
  async function startFromConfigError(file: string): Promise<ShownError> {
    const seen: ShownError[] = [];
    const listener = api.notifications.onDidShowError((n) => seen.push(n));
    try {
      const result = await vscode.commands.executeCommand('lrcDistill.startFromConfig', vscode.Uri.file(file));
      assert.equal(result, undefined, `the command did not fail: ${JSON.stringify(result)}`);
      return await waitFor(`an error notification about ${file}`, () => seen.find((n) => n.message.includes(file)));
    } finally {
      listener.dispose();
    }
  }

  /** Presses the notification's first button, as a person would, and returns the action it chose. */
  async function choosePrimaryAction(shown: ShownError): Promise<string | undefined> {
    let chosen: { choice: string | undefined } | undefined;
    void Promise.resolve(shown.choice).then((choice) => (chosen = { choice }));
    // The notification reaches the workbench asynchronously: until it is there the command finds no
    // notification (they were all cleared first) and does nothing, so pressing again is safe.
    for (let attempt = 0; attempt < 50 && !chosen; attempt++) {
      await vscode.commands.executeCommand('notification.acceptPrimaryAction');
      await waitFor('the choice', () => chosen, 400).catch(() => undefined);
    }
    assert.ok(chosen, 'the notification\'s primary action was not chosen');
    return chosen.choice;
  }

  /** Open File: the file in the active editor, the cursor at the start of `line`. */
  async function assertOpenedAt(file: string, line: number): Promise<void> {
    const editor = await waitFor(`${file} in the active editor`, () => {
      const e = vscode.window.activeTextEditor;
      return e && e.document.uri.fsPath === file ? e : undefined;
    });
    await waitFor(`the cursor on line ${line} (it is on line ${editor.selection.active.line + 1})`, () => editor.selection.active.line === line - 1);
    assert.equal(editor.selection.active.character, 0);
    assert.ok(editor.selection.isEmpty);
  }

  /** The notification is the CLI's stderr line for the same file, past their prefixes; returns the line. */
  async function assertSameLineAsCli(shown: ShownError, file: string, runsBefore: string[]): Promise<string> {
    assert.ok(!/[\r\n]/.test(shown.message), `the notification is not one line: ${JSON.stringify(shown.message)}`);
    assert.ok(shown.message.startsWith('LRC Distill: '), shown.message);
    const cliRuns = join(scratch, `runs-${Date.now()}`);
    const { code, stderr } = await cli(['train-teacher', '--config', file, '--runs', cliRuns, '--plain']);
    assert.equal(code, 2, `the CLI exited ${code}: ${stderr}`);
    const lines = stderr.trimEnd().split('\n');
    assert.equal(lines.length, 1, `the CLI printed more than one line:\n${stderr}`);
    assert.ok(lines[0].startsWith('lrc-distill: '), lines[0]);
    const message = shown.message.slice('LRC Distill: '.length);
    assert.equal(message, lines[0].slice('lrc-distill: '.length), 'the notification and the CLI say different things');
    assert.deepEqual(runFolders(), runsBefore, 'a refused config created a run');
    assert.ok(!existsSync(cliRuns) || readdirSync(cliRuns).length === 0, 'the CLI created a run for a refused config');
    return message;
  }

  suiteSetup(async () => {
    const ext = vscode.extensions.getExtension<LrcDistillApi>(EXTENSION_ID)!;
    api = await ext.activate();
    cliJs = join(ext.extensionPath, 'dist', 'cli.js');
    ws = vscode.workspace.workspaceFolders![0].uri.fsPath;
    scratch = mkdtempSync(join(tmpdir(), 'lrc-errors-'));
    mkdirSync(join(ws, 'data'), { recursive: true });
    if (!existsSync(join(ws, 'data', 'train.tsv'))) writeFileSync(join(ws, 'data', 'train.tsv'), tinyTsv(60, 1));
    if (!existsSync(join(ws, 'data', 'dev.tsv'))) writeFileSync(join(ws, 'data', 'dev.tsv'), tinyTsv(24, 2));
  });

  setup(async () => {
    // Only this test's notification may be there when its button is pressed.
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const f of written) rmSync(f, { force: true });
    rmSync(scratch, { recursive: true, force: true });
  });

  test('a bad field: the CLI\'s line, naming file:line and the field; Open File puts the cursor on that line', async () => {
    const config = {
      kind: 'teacher', name: 'bad batch size', backend: 'wasm', maxLength: 16, builtVocabSize: 200, data: DATA, model: TINY_SHAPE,
      optim: { epochs: 1, batchSize: 'eight', learningRate: 0.001 },
    };
    const text = `${JSON.stringify(config, null, 2)}\n`;
    const file = writeConfigText('bad-batch-size', text);
    const line = lineOf(text, '"batchSize"');
    assert.ok(line > 10, `the field should be well inside the file, not on line ${line}`);
    const runsBefore = runFolders();

    const shown = await startFromConfigError(file);
    const message = await assertSameLineAsCli(shown, file, runsBefore);
    assert.ok(message.startsWith(`${file}:${line}: optim.batchSize: `), `the message does not name ${file}:${line} and the field: ${message}`);
    assert.match(message, /found "eight"/);
    assert.deepEqual(shown.actions, ['Open File', 'Show Log']);

    assert.equal(await choosePrimaryAction(shown), 'Open File');
    await assertOpenedAt(file, line);
  });

  test('a file that is not valid JSON: the CLI\'s line with the line of the syntax error; Open File goes there', async () => {
    // line 6 lacks its comma: the error is found at the start of line 7
    const text = ['{', '  "kind": "teacher",', '  "name": "missing comma",', '  "backend": "wasm",', '  "data": {"task": "demo"},', '  "model": {"layers": 1, "hidden": 16, "heads": 2, "intermediate": 32}', '  "optim": {"epochs": 1}', '}', ''].join('\n');
    const file = writeConfigText('missing-comma', text);
    const runsBefore = runFolders();

    const shown = await startFromConfigError(file);
    const message = await assertSameLineAsCli(shown, file, runsBefore);
    assert.ok(message.startsWith(`${file}:7: expected valid JSON: `), message);
    assert.equal(shown.actions[0], 'Open File');

    assert.equal(await choosePrimaryAction(shown), 'Open File');
    await assertOpenedAt(file, 7);
  });

  test('a plan (train a teacher, then "run"): the error names the line of the bad field inside "run"', async () => {
    const plan = {
      teacher: { kind: 'teacher', name: 'plan teacher', backend: 'wasm', data: DATA, model: TINY_SHAPE, optim: { epochs: 1 } },
      run: { kind: 'lrc', name: 'plan student', backend: 'wasm', data: DATA, student: TINY_SHAPE, stages: { split: 'half' }, optim: { epochs: 1 } },
    };
    const text = `${JSON.stringify(plan, null, 2)}\n`;
    const file = writeConfigText('bad-plan', text);
    const line = lineOf(text, '"split"');
    const runsBefore = runFolders();

    const shown = await startFromConfigError(file);
    const message = shown.message.slice('LRC Distill: '.length);
    assert.ok(message.startsWith(`${file}:${line}: stages.split: `), `the message does not name ${file}:${line}: ${message}`);
    assert.deepEqual(runFolders(), runsBefore, 'a refused plan created a run');

    assert.equal(await choosePrimaryAction(shown), 'Open File');
    await assertOpenedAt(file, line);
  });
});
