// Reads one split of a GLUE task from its distributed .tsv file (see glueTasks.ts for the layouts).
import { join } from 'node:path';
import { InputError, shown, shownList } from '../errors';
import { parseTsv, readTextFile, type Row } from './delimitedText';
import { glueTask, type GlueTask } from './glueTasks';
import type { Example, TextDataset } from './types';

/** The path of a split in a GLUE folder: <glueDir>/<task folder>/<split>.tsv. */
export function glueSplitPath(glueDir: string, task: GlueTask, split: string): string {
  return join(glueDir, task.folder, `${split}.tsv`);
}

function labelOf(task: GlueTask, value: string, file: string, line: number): number {
  if (task.kind === 'regression') {
    const score = Number(value);
    if (value.trim() === '' || !Number.isFinite(score)) throw new InputError({ file, line, field: 'label', expected: `a number (the score of ${task.name})`, found: shown(value) });
    return score;
  }
  const index = task.labels.indexOf(value);
  if (index < 0) throw new InputError({ file, line, field: 'label', expected: `a label of ${task.name}: one of ${shownList(task.labels)}`, found: shown(value) });
  return index;
}

function checkWidth(row: Row, width: number, path: string): void {
  if (row.fields.length !== width) {
    throw new InputError({ file: path, line: row.line, expected: `${width} tab-separated columns`, found: `${row.fields.length}` });
  }
}

/** Reads `<glueDir>/<task>/<split>.tsv` into a dataset. */
export function readGlueSplit(glueDir: string, taskName: string, split: string): TextDataset {
  const task = glueTask(taskName);
  if (!task.splits.includes(split)) {
    throw new InputError({ field: 'data.devSplit', expected: `a labelled split of ${task.name}: ${shownList(task.splits)}`, found: shown(split) });
  }
  const path = glueSplitPath(glueDir, task, split);
  const rows = parseTsv(readTextFile(path));
  const examples: Example[] = [];
  if (task.positional) {
    const { text, label, columns } = task.positional;
    for (const row of rows) {
      checkWidth(row, columns, path);
      examples.push({ id: `${split}:${row.line}`, text: row.fields[text], label: labelOf(task, row.fields[label], path, row.line) });
    }
  } else {
    const [header, ...data] = rows;
    if (!header) throw new InputError({ file: path, expected: `the ${task.name} header line and examples`, found: 'an empty file' });
    const columns = task.columns!;
    const index = (name: string): number => {
      const i = header.fields.indexOf(name);
      if (i < 0) throw new InputError({ file: path, line: header.line, expected: `the column ${shown(name)} of ${task.name} in the header line`, found: shownList(header.fields), hint: `is this the ${task.name} file?` });
      return i;
    };
    const textIndex = index(columns.text);
    const pairIndex = columns.textPair === undefined ? undefined : index(columns.textPair);
    const labelIndex = index(columns.label);
    for (const row of data) {
      checkWidth(row, header.fields.length, path);
      const example: Example = { id: `${split}:${row.line}`, text: row.fields[textIndex], label: labelOf(task, row.fields[labelIndex], path, row.line) };
      if (pairIndex !== undefined) example.textPair = row.fields[pairIndex];
      examples.push(example);
    }
  }
  if (examples.length === 0) throw new InputError({ file: path, expected: 'examples', found: 'none (only the header line)' });
  return { name: `${task.name} ${split}`, kind: task.kind, labelNames: task.labels.slice(), examples, source: path };
}
