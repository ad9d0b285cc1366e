// LRC: Export Recommended Student: the student the report's front recommends for a task of a sweep
// (issue 23), written as a Hugging Face folder (f32 or f16) where the user says, by
// `lrc-distill sweep export-recommended <sweep> --out <dir> --task <task> --dtype <dtype>` in a child
// process. The sweep comes from the argument ({ sweepId, task }, a sweep node) or a pick; the task,
// the dtype and the folder from the argument or the user.
import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../trainer/server';
import { reportOf } from '../sweeps/sweepView';
import { workspaceFolder } from '../settings';
import { guarded, type CommandFactory } from './context';
import { FILTERS, folderFlags, pickSweep } from './sweepCommands';

export type ServingDtype = 'f32' | 'f16';

export interface ExportRecommendedOptions {
  task?: string;
  dtype?: ServingDtype;
  /** The folder to write (new or empty); else the user picks a parent and the folder is named after the cell. */
  out?: string;
}

const optionsOf = (...args: unknown[]): ExportRecommendedOptions =>
  Object.assign({}, ...args.filter((a): a is Record<string, unknown> => typeof a === 'object' && a !== null && !(a instanceof vscode.Uri)));

/** A folder name of the sweep, task and cell: "tiny-A-4x312-LRC-f16". */
export const exportFolderName = (sweep: string, task: string, label: string, dtype: ServingDtype): string =>
  [sweep, task, label, dtype].filter(Boolean).join('-').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/-+/g, '-');

export const frontCommands: Record<string, CommandFactory> = {
  'lrcDistill.exportRecommendedStudent': (ctx) =>
    guarded(ctx, 'Export Recommended Student', async (arg?: unknown, more?: unknown) => {
      const o = optionsOf(arg, more);
      const s = await pickSweep(ctx, arg, FILTERS.any);
      if (!s) return undefined;
      const front = reportOf(s).front;
      const tasks = (front?.tasks ?? []).filter((t) => t.recommended !== null);
      if (!tasks.length) {
        const why = front?.tasks.map((t) => t.reason).find(Boolean) ?? `no serving cost measured (lrc-distill sweep measure ${s.record.name})`;
        throw new UserError(`sweep ${s.record.name} has no recommended student yet: ${why}`, 'sweep');
      }
      let task = o.task !== undefined ? tasks.find((t) => t.task === o.task) : tasks.length === 1 ? tasks[0] : undefined;
      if (o.task !== undefined && !task) throw new UserError(`sweep ${s.record.name} has no recommended student for task '${o.task}' (tasks with one: ${tasks.map((t) => t.task || '(all)').join(', ')})`, 'task');
      if (!task) {
        const items = tasks.map((t) => ({ label: t.task, description: t.cells[t.recommended!].label, detail: t.reason, task: t }));
        task = (await vscode.window.showQuickPick(items, { title: `LRC: export the recommended student of ${s.record.name}`, placeHolder: 'The task' }))?.task;
        if (!task) return undefined;
      }
      const cell = task.cells[task.recommended!];
      let dtype = o.dtype;
      if (dtype !== undefined && dtype !== 'f32' && dtype !== 'f16') throw new UserError(`dtype '${String(dtype)}': expected f32 or f16`, 'dtype');
      if (!dtype) {
        const items: (vscode.QuickPickItem & { dtype: ServingDtype })[] = [
          { label: 'float32', description: 'f32', detail: 'the weights as trained', dtype: 'f32' },
          { label: 'float16', description: 'f16', detail: 'half the size; the usual choice for serving on a GPU', dtype: 'f16' },
        ];
        dtype = (await vscode.window.showQuickPick(items, { title: `LRC: export ${cell.label}${task.task ? ` (${task.task})` : ''}`, placeHolder: 'The weights\' data type' }))?.dtype;
        if (!dtype) return undefined;
      }
      let out = o.out;
      if (!out) {
        const parent = await vscode.window.showOpenDialog({ canSelectFiles: false, canSelectFolders: true, canSelectMany: false, openLabel: 'Export here', title: `LRC: the folder to export ${cell.label} into` });
        if (!parent?.[0]) return undefined;
        const base = join(parent[0].fsPath, exportFolderName(s.record.name, task.task, cell.label, dtype));
        out = base;
        for (let i = 2; existsSync(out); i++) out = `${base}-${i}`;
      }
      ctx.manager.requireTrust();
      const args = ['sweep', 'export-recommended', s.dir, '--out', out, ...(task.task ? ['--task', task.task] : []), '--dtype', dtype, ...folderFlags(ctx)];
      const r = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `LRC: exporting ${cell.label} (${dtype})…`, cancellable: true },
        (_p, token) => ctx.cli.run(args, workspaceFolder() ?? s.record.cwd, token),
      );
      if (r.code !== 0) throw new UserError(`export of the recommended student failed (${r.signal ?? `exit code ${r.code}`}): ${r.stderr.trim().split('\n').pop()?.replace(/^lrc-distill: /, '') ?? ''}`, 'export');
      const target = out;
      ctx.output.info(`exported the recommended student of ${s.record.id}${task.task ? ` ${task.task}` : ''} (${cell.label}, ${dtype}) to ${target}`);
      void vscode.window.showInformationMessage(`LRC Distill: exported ${cell.label}${task.task ? ` for ${task.task}` : ''} (${dtype}) to ${target}`, 'Reveal').then((c) => {
        if (c === 'Reveal') void vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(target));
      });
      return { sweepId: s.record.id, task: task.task, cell: cell.label, dtype, out: target, stdout: r.stdout };
    }),
};
