// Any labelled text file: CSV (with real quoting), TSV (split on tab, quotes literal) or JSON lines,
// with a mapping that names the text column, the optional second text and the label column.
// Class names are kept as the file writes them, in order of first appearance, or as given.
import { extname } from 'node:path';
import { excerpt, InputError, shown, shownList } from '../errors';
import { csvRowSteps, readTextFile, tsvRowSteps, type Row } from './delimitedText';
import { finishInSlices, finishNow, type Pause, type Steps } from '../util/timeSlices';
import type { Example, TextDataset } from './types';

export interface ColumnMapping {
  /** Header name (CSV/TSV), key (JSON lines), or 0-based column number when the file has no header. */
  text: string;
  textPair?: string;
  label: string;
}

export interface TableDatasetOptions {
  columns: ColumnMapping;
  /** Default: from the extension (.csv; .tsv/.tab; .jsonl/.ndjson/.json). */
  format?: 'csv' | 'tsv' | 'jsonl';
  /** CSV/TSV: whether the first row names the columns (default true). */
  header?: boolean;
  /** Default 'classification'; 'regression' reads the label as a number. */
  kind?: 'classification' | 'regression';
  /** The classes, in label order; a label outside them is an error. Default: order of first appearance. */
  labelNames?: string[];
  /** Where labelNames come from, for the message about a label outside them (default "data.labelNames"). */
  labelsFrom?: string;
  /** Default: the file name. */
  name?: string;
}

type RecordReader = { line: number; get(column: string): unknown }[];

/** How a column is named in messages: by its header name (or JSON key), or by its number. */
type ColumnNamer = (column: string) => string;

function formatOf(path: string, format: TableDatasetOptions['format']): 'csv' | 'tsv' | 'jsonl' {
  if (format) return format;
  const ext = extname(path).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.tsv' || ext === '.tab') return 'tsv';
  if (ext === '.jsonl' || ext === '.ndjson' || ext === '.json') return 'jsonl';
  throw new InputError({ file: path, field: 'data.format', expected: 'a .csv, .tsv, .tab, .jsonl, .ndjson or .json file, or the format given (csv, tsv or jsonl)', found: ext ? `the extension "${ext}"` : 'no extension' });
}

const NO_HEADER = "--no-header (header: false in the run config's data)";
const NO_HEADER_HINT = `if the file has no header line, use ${NO_HEADER} and give the columns by 0-based number`;
const HAS_HEADER_HINT = "if line 1 is a header line, leave out --no-header (header: true in the run config's data) and name the columns";

/** Why a header line looks like a line of data, if it does: a cell no column name would be, or a value the column has below. */
export function headerLooksLikeData(header: Row, data: readonly Row[]): string | undefined {
  const long = header.fields.find((f) => f.length > 40 || f.trim().split(/\s+/).length > 5);
  if (long !== undefined) return `its cell ${shown(long, 32)} is no column name`;
  for (let c = 0; c < header.fields.length; c++) {
    const cell = header.fields[c];
    if (cell.trim() === '') continue;
    const below = data.find((r) => r.fields[c] === cell);
    if (below) return `its cell ${shown(cell)} is a value of that column on line ${below.line} too`;
  }
  return undefined;
}

function delimitedRecords(path: string, rows: Row[], options: TableDatasetOptions, format: 'csv' | 'tsv'): { records: RecordReader; nameOf: ColumnNamer } {
  const hasHeader = options.header ?? true;
  const separated = format === 'csv' ? 'comma-separated' : 'tab-separated';
  if (rows.length === 0) throw new InputError({ file: path, expected: hasHeader ? 'a header line and examples' : 'examples, one a line', found: 'an empty file' });
  const header = hasHeader ? rows[0] : undefined;
  const data = hasHeader ? rows.slice(1) : rows;
  if (header && data.length === 0) {
    const looks = headerLooksLikeData(header, data);
    throw new InputError({ file: path, line: header.line, expected: 'examples after the header line', found: `only the header line (${shownList(header.fields)})`, hint: looks ? `line ${header.line} looks like data (${looks}): ${NO_HEADER_HINT}` : undefined });
  }
  const width = header ? header.fields.length : data[0].fields.length;
  const roles: [keyof ColumnMapping, string][] = (['text', 'textPair', 'label'] as const).flatMap((role) => (options.columns[role] === undefined ? [] : [[role, options.columns[role]!] as [keyof ColumnMapping, string]]));
  const index = (role: keyof ColumnMapping, column: string): number => {
    const numeric = /^\d+$/.test(column);
    if (header) {
      const i = header.fields.indexOf(column);
      if (i >= 0) return i;
      const looks = headerLooksLikeData(header, data);
      const hint = looks
        ? `line ${header.line} looks like data (${looks}): ${NO_HEADER_HINT}`
        : numeric ? `a column number is for a file without a header line: if the file has none, use ${NO_HEADER}` : undefined;
      throw new InputError({ file: path, line: header.line, field: `columns.${role}`, expected: `a column of the header line (${shownList(header.fields)})`, found: shown(column), hint });
    }
    const i = Number(column);
    if (!numeric || i >= width) {
      throw new InputError({
        file: path, line: data[0].line, field: `columns.${role}`,
        expected: `a 0-based column number from 0 to ${width - 1} (the file has no header line; line ${data[0].line} has ${width} ${separated} fields)`,
        found: shown(column),
        hint: numeric ? undefined : `without a header line the columns are numbers, e.g. --text-column 0 --label-column 1; ${HAS_HEADER_HINT}`,
      });
    }
    return i;
  };
  const indices = new Map(roles.map(([role, column]) => [column, index(role, column)]));
  const records = data.map((row) => {
    if (row.fields.length !== width) {
      throw new InputError({ file: path, line: row.line, expected: `${width} ${separated} fields (as ${header ? `the header line has` : `line ${data[0].line} has`})`, found: `${row.fields.length}` });
    }
    return { line: row.line, get: (column: string) => row.fields[indices.get(column)!] };
  });
  const nameOf: ColumnNamer = (column) => (header ? `column ${shown(column)}` : `column ${column}`);
  return { records, nameOf };
}

function* jsonRecordSteps(path: string, text: string): Steps<RecordReader> {
  const records: RecordReader = [];
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (!line) continue;
    yield;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new InputError({ file: path, line: i + 1, expected: 'a JSON object on each line', found: `${excerpt(line)}, which is not valid JSON` });
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InputError({ file: path, line: i + 1, expected: 'a JSON object on each line', found: shown(value, 40) });
    const obj = value as Record<string, unknown>;
    records.push({ line: i + 1, get: (column) => obj[column] });
  }
  return records;
}

/** Reads a CSV, TSV or JSON-lines file of labelled texts. */
export function readTableDataset(path: string, options: TableDatasetOptions): TextDataset {
  return finishNow(tableDatasetSteps(path, options));
}

/** The same, read in time slices with `pause` between them (a run's set-up point: 200,000 lines of CSV
 *  took 3.6 s, of TSV 0.6 s). */
export function readTableDatasetInSlices(path: string, options: TableDatasetOptions, pause: Pause): Promise<TextDataset> {
  return finishInSlices(tableDatasetSteps(path, options), pause);
}

/** The reading, with a step after each row parsed and each example made. */
function* tableDatasetSteps(path: string, options: TableDatasetOptions): Steps<TextDataset> {
  const format = formatOf(path, options.format);
  const text = readTextFile(path);
  const headerless = format !== 'jsonl' && options.header === false;
  const { records, nameOf } = format === 'jsonl'
    ? { records: yield* jsonRecordSteps(path, text), nameOf: (column: string) => `key ${shown(column)}` }
    : delimitedRecords(path, yield* (format === 'csv' ? csvRowSteps(text, path) : tsvRowSteps(text)), options, format);
  const kind = options.kind ?? 'classification';
  const labelNames = options.labelNames ? options.labelNames.slice() : [];
  const fixedLabels = options.labelNames !== undefined;
  const labelsFrom = options.labelsFrom ?? 'data.labelNames';
  const firstLine = records[0]?.line;
  // In a file read without a header, a problem on the first line may be a header line read as data.
  const problem = (line: number, field: string, expected: string, found: string): InputError =>
    new InputError({ file: path, line, field, expected, found, hint: headerless && line === firstLine ? HAS_HEADER_HINT : undefined });
  const examples: Example[] = [];
  const textOf = (value: unknown, column: string, line: number): string => {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    throw problem(line, nameOf(column), 'a text', value === undefined ? 'nothing' : shown(value, 40));
  };
  for (const record of records) {
    const { columns } = options;
    const rawLabel = textOf(record.get(columns.label), columns.label, record.line);
    let label: number;
    if (kind === 'regression') {
      label = Number(rawLabel);
      if (rawLabel.trim() === '' || !Number.isFinite(label)) throw problem(record.line, nameOf(columns.label), 'a number (the label of a regression task)', shown(rawLabel));
    } else {
      label = labelNames.indexOf(rawLabel);
      if (label < 0) {
        if (fixedLabels) throw problem(record.line, nameOf(columns.label), `one of ${shownList(labelNames, 12)} (${labelsFrom})`, shown(rawLabel));
        label = labelNames.push(rawLabel) - 1;
      }
    }
    const example: Example = { id: `${record.line}`, text: textOf(record.get(columns.text), columns.text, record.line), label };
    if (columns.textPair !== undefined) example.textPair = textOf(record.get(columns.textPair), columns.textPair, record.line);
    examples.push(example);
    yield;
  }
  if (examples.length === 0) throw new InputError({ file: path, expected: 'examples', found: 'only blank lines' });
  if (headerless && kind === 'classification' && !fixedLabels) checkFirstLineIsData(path, examples, labelNames, nameOf(options.columns.label));
  return { name: options.name ?? path.split(/[\\/]/).pop()!, kind, labelNames: kind === 'regression' ? [] : labelNames, examples, source: path };
}

/**
 * A file read without a header whose first line has a label no other line has, while every other label
 * is on several lines: that line is a header line read as an example ("label" made a class of its own).
 */
function checkFirstLineIsData(path: string, examples: readonly Example[], labelNames: readonly string[], labelColumn: string): void {
  const counts = new Map<number, number>();
  for (const e of examples) counts.set(e.label, (counts.get(e.label) ?? 0) + 1);
  const first = examples[0];
  const others = [...counts].filter(([label]) => label !== first.label);
  if (counts.get(first.label) === 1 && others.length >= 2 && others.every(([, n]) => n >= 2)) {
    throw new InputError({
      file: path, line: Number(first.id), field: labelColumn,
      expected: 'a label other lines have too (a file read with --no-header starts with an example)',
      found: `${shown(labelNames[first.label])}, which no other line has`,
      hint: HAS_HEADER_HINT,
    });
  }
}
