// Commands on a trained model and on the trainer's setup: Export Student, Benchmark Student vs Teacher,
// Select Backend. Evaluation and dtype conversion run in the CLI (dist/cli.js), one child per job.
import * as vscode from 'vscode';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RUN_FORMAT_VERSION, type RunRecord } from '../../trainer/runs/runRecord';
import { UserError } from '../../trainer/server';
import { writeJsonAtomic } from '../../trainer/util/atomicFile';
import { BACKEND_SETTINGS, backendSetting, setBackendSetting, workspaceFolder, type BackendSetting } from '../settings';
import { BACKEND_DETAILS } from '../wizard/newRunWizard';
import { guarded, type CommandContext, type CommandFactory } from './context';
import { pickRun, type RunFilter } from './pickRun';

/** The Hugging Face folder of a run's model: export/ when it finished, else its best checkpoint. */
export function modelFolderOf(runDir: string): string | undefined {
  for (const sub of ['export', join('checkpoints', 'best')]) {
    if (existsSync(join(runDir, sub, 'config.json'))) return join(runDir, sub);
  }
  return undefined;
}

/** The folder of a distillation run's teacher. */
function teacherFolderOf(ctx: CommandContext, run: RunRecord): string {
  const t = run.teacher ?? (run.config.teacher as RunRecord['teacher']);
  const folder = t?.path ?? (t?.runId ? modelFolderOf(ctx.manager.runDir(t.runId)) : undefined);
  if (!folder || !existsSync(join(folder, 'config.json'))) throw new UserError(`the teacher of run ${run.id} (${t?.path ?? t?.runId ?? 'none'}) has no model folder with config.json`, 'teacher');
  return folder;
}

const hasModel = (ctx: CommandContext) => (r: RunRecord) => !!modelFolderOf(ctx.manager.runDir(r.id));

export type ExportFormat = 'copy' | 'f32' | 'f16' | 'bf16';

export interface Score {
  model: string;
  examples: number;
  seconds: number;
  examplesPerSecond: number;
  primary: string;
  score: number;
  metrics: Record<string, number>;
}

/** Runs `lrc-distill eval <run> --json` and reads its answer. */
async function evaluate(ctx: CommandContext, runsDir: string, runId: string, token?: vscode.CancellationToken): Promise<Score> {
  const r = await ctx.cli.run(['eval', runId, '--json', '--runs', runsDir], workspaceFolder() ?? runsDir, token);
  if (r.code !== 0) throw new UserError(`evaluating ${runId} failed (${r.signal ?? `exit code ${r.code}`}): ${r.stderr.trim().split('\n').pop() ?? ''}`, 'eval');
  const start = r.stdout.indexOf('{');
  let parsed: { model: string; examples: number; seconds: number; primary: string; score: number; metrics: Record<string, number> };
  try {
    parsed = JSON.parse(r.stdout.slice(start));
  } catch (e) {
    throw new UserError(`the CLI's eval output is not JSON (${(e as Error).message}): ${r.stdout.slice(0, 200)}`, 'eval');
  }
  return { ...parsed, examplesPerSecond: parsed.examples / Math.max(parsed.seconds, 1e-6) };
}

export const studentCommands: Record<string, CommandFactory> = {
  'lrcDistill.exportStudent': (ctx) =>
    guarded(ctx, 'Export Student', async (arg?: unknown, options?: unknown) => {
      const filter: RunFilter = { purpose: 'to export', rule: 'only a run with a model (export/ or checkpoints/best/) can be exported', fits: hasModel(ctx) };
      const run = await pickRun(ctx, arg, filter);
      if (!run) return undefined;
      const o = (typeof options === 'object' && options !== null ? options : {}) as { format?: ExportFormat; target?: string };
      const source = modelFolderOf(ctx.manager.runDir(run.id))!;
      let format = o.format;
      if (!format) {
        const items: (vscode.QuickPickItem & { format: ExportFormat })[] = [
          { label: 'Copy as it is', detail: `the files of ${source.endsWith('export') ? 'export/' : 'checkpoints/best/'} (float32 safetensors, config, tokenizer)`, format: 'copy' },
          { label: 'float16', detail: 'half the size; the usual choice for inference on a GPU', format: 'f16' },
          { label: 'bfloat16', detail: 'half the size, float32\'s range', format: 'bf16' },
          { label: 'float32, rewritten', detail: 'the weights written again as float32', format: 'f32' },
        ];
        format = (await vscode.window.showQuickPick(items, { title: `LRC: export ${run.name}`, placeHolder: 'The weights\' data type' }))?.format;
        if (!format) return undefined;
      }
      let target = o.target;
      if (!target) {
        const parent = await vscode.window.showOpenDialog({ canSelectFiles: false, canSelectFolders: true, canSelectMany: false, openLabel: 'Export here', title: `LRC: the folder to export ${run.name} into` });
        if (!parent?.[0]) return undefined;
        const base = join(parent[0].fsPath, `${run.name.replace(/[^A-Za-z0-9._-]+/g, '-')}-student${format === 'copy' ? '' : `-${format}`}`);
        target = base;
        for (let i = 2; existsSync(target); i++) target = `${base}-${i}`;
      }
      if (existsSync(target) && readdirSync(target).length > 0) throw new UserError(`${target} is not empty: pick a new or empty folder`, 'target');
      if (format === 'copy') {
        mkdirSync(target, { recursive: true });
        cpSync(source, target, { recursive: true });
      } else {
        ctx.manager.requireTrust();
        const dest = target;
        const result = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: `LRC: writing ${run.name} as ${format}…`, cancellable: true },
          (_p, token) => ctx.cli.run(['export', run.id, '--out', dest, '--dtype', format!, '--runs', ctx.manager.runsDir()], workspaceFolder() ?? ctx.manager.runsDir(), token),
        );
        if (result.code !== 0) throw new UserError(`export failed (${result.signal ?? `exit code ${result.code}`}): ${result.stderr.trim().split('\n').pop() ?? ''}`, 'export');
      }
      ctx.output.info(`exported ${run.id} (${format}) to ${target}`);
      void vscode.window.showInformationMessage(`LRC Distill: exported ${run.name} to ${target}`, 'Reveal').then((c) => {
        if (c === 'Reveal') void vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(target!));
      });
      return { runId: run.id, format, target };
    }),

  'lrcDistill.benchmark': (ctx) =>
    guarded(ctx, 'Benchmark Student vs Teacher', async (arg?: unknown) => {
      const filter: RunFilter = {
        purpose: 'to benchmark against its teacher',
        rule: 'only an lrc or mse run with a model (export/ or checkpoints/best/) can be benchmarked',
        fits: (r) => (r.kind === 'lrc' || r.kind === 'mse') && hasModel(ctx)(r),
      };
      const run = await pickRun(ctx, arg, filter);
      if (!run) return undefined;
      ctx.manager.requireTrust();
      const teacherFolder = teacherFolderOf(ctx, run);
      const runsDir = ctx.manager.runsDir();
      // The CLI evaluates runs: the teacher goes through a temporary run with the student's config (the
      // same dev set, length and batch size) whose export/ is the teacher's folder.
      const scratch = mkdtempSync(join(tmpdir(), 'lrc-benchmark-'));
      try {
        const teacherRunId = `teacher-of-${run.id}`;
        const teacherDir = join(scratch, teacherRunId);
        mkdirSync(teacherDir);
        writeJsonAtomic(join(teacherDir, 'run.json'), { ...run, formatVersion: RUN_FORMAT_VERSION, id: teacherRunId, name: `teacher of ${run.name}`, status: 'finished', owner: undefined, pairedRunId: undefined });
        symlinkSync(teacherFolder, join(teacherDir, 'export'), 'junction');
        const { student, teacher } = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: `LRC: benchmarking ${run.name}`, cancellable: true },
          async (progress, token) => {
            progress.report({ message: 'the student on the dev set…' });
            const s = await evaluate(ctx, runsDir, run.id, token);
            progress.report({ message: 'the teacher on the dev set…' });
            const t = await evaluate(ctx, scratch, teacherRunId, token);
            return { student: s, teacher: t };
          },
        );
        const speedup = student.examplesPerSecond / Math.max(teacher.examplesPerSecond, 1e-9);
        const kept = teacher.score !== 0 ? student.score / teacher.score : NaN;
        const line = (who: string, s: Score) => `${who}: ${s.primary} ${s.score.toFixed(4)}, ${s.examplesPerSecond.toFixed(1)} examples/s (${s.examples} examples in ${s.seconds.toFixed(2)} s)`;
        ctx.output.info(`benchmark of ${run.id}\n  ${line('student', student)}\n  ${line('teacher', teacher)}\n  speed-up ${speedup.toFixed(2)}x, ${(kept * 100).toFixed(1)}% of the teacher's ${teacher.primary}`);
        void vscode.window.showInformationMessage(
          `LRC benchmark of ${run.name}: student ${student.primary} ${student.score.toFixed(4)} at ${student.examplesPerSecond.toFixed(0)} ex/s; teacher ${teacher.score.toFixed(4)} at ${teacher.examplesPerSecond.toFixed(0)} ex/s (${speedup.toFixed(1)}x faster, ${(kept * 100).toFixed(1)}% of the teacher's ${teacher.primary}).`,
          'Show Log',
        ).then((c) => c === 'Show Log' && ctx.output.show(true));
        return { runId: run.id, student, teacher, speedup };
      } finally {
        rmSync(scratch, { recursive: true, force: true });
      }
    }),

  'lrcDistill.selectBackend': (ctx) =>
    guarded(ctx, 'Select Backend', async (arg?: unknown) => {
      let value = typeof arg === 'string' ? (arg as BackendSetting) : undefined;
      if (value !== undefined && !BACKEND_SETTINGS.includes(value)) throw new UserError(`backend '${value}': expected one of ${BACKEND_SETTINGS.join(', ')}`, 'backend');
      if (!value) {
        const current = backendSetting();
        const items = BACKEND_SETTINGS.map((b) => ({ label: b, description: b === current ? '(current)' : undefined, detail: BACKEND_DETAILS[b], value: b }));
        value = (await vscode.window.showQuickPick(items, { title: 'LRC: Select Backend', placeHolder: 'The TensorFlow.js backend of new trainers (a run config may name its own)' }))?.value;
        if (!value) return undefined;
      }
      await setBackendSetting(value);
      ctx.output.info(`backend setting: ${value}`);
      vscode.window.setStatusBarMessage(`LRC: backend ${value} (for trainers started from now on)`, 4000);
      return value;
    }),
};
