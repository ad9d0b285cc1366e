// The data files of a run's task (run.json's config.data): the train and dev files of a file task, the
// train and dev TSVs of a GLUE task. Relative paths are taken from the workspace folder (the CLI's
// working folder). No vscode here.
import { isAbsolute, join, normalize, resolve } from 'node:path';
import { DataSchema } from '../../trainer/config/runConfig';
import { GLUE_TASKS } from '../../trainer/data/glueTasks';
import { dataFormatOf, type DataFormat } from './dataFileMatch';

export interface DataFileOfRun {
  path: string;
  split: 'train' | 'dev';
  format: DataFormat;
}

function absolute(path: string, base: string | undefined): string {
  return normalize(isAbsolute(path) || !base ? resolve(path) : resolve(base, path));
}

/** The run's data files; none for the bundled demo task or a config that does not parse. */
export function dataFilesOfRun(config: unknown, workspaceFolder: string | undefined): DataFileOfRun[] {
  const data = DataSchema.safeParse((config as { data?: unknown } | undefined)?.data);
  if (!data.success) return [];
  const d = data.data;
  if (d.task === 'file') {
    return (['train', 'dev'] as const).flatMap((split) => {
      const path = absolute(d[split], workspaceFolder);
      const format = d.format ?? dataFormatOf(path);
      return format ? [{ path, split, format }] : [];
    });
  }
  if (d.task === 'glue') {
    const task = GLUE_TASKS[d.name];
    const dir = absolute(d.dir, workspaceFolder);
    // the GLUE folder holds the task folders, or is the task's own folder
    return ([['train', 'train'], ['dev', d.devSplit]] as const).flatMap(([split, name]) => [
      { path: join(dir, task.folder, `${name}.tsv`), split, format: 'tsv' as const },
      { path: join(dir, `${name}.tsv`), split, format: 'tsv' as const },
    ]);
  }
  return [];
}

/** Paths compare equal on case-insensitive file systems too. */
export function samePath(a: string, b: string, caseInsensitive = process.platform === 'win32' || process.platform === 'darwin'): boolean {
  const na = normalize(a);
  const nb = normalize(b);
  return caseInsensitive ? na.toLowerCase() === nb.toLowerCase() : na === nb;
}
