// Any labelled text file: CSV (with real quoting), TSV (split on tab, quotes literal) or JSON lines,
// with a mapping that names the text column, the optional second text and the label column.
// Class names are kept as the file writes them, in order of first appearance, or as given.
import { extname } from 'node:path';
import { parseCsv, parseTsv, readTextFile, type Row } from './delimitedText';
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
  /** Default: the file name. */
  name?: string;
}

type RecordReader = { line: number; get(column: string): unknown }[];

function formatOf(path: string, format: TableDatasetOptions['format']): 'csv' | 'tsv' | 'jsonl' {
  if (format) return format;
  const ext = extname(path).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.tsv' || ext === '.tab') return 'tsv';
  if (ext === '.jsonl' || ext === '.ndjson' || ext === '.json') return 'jsonl';
  throw new Error(`${path}: cannot tell the format from the extension "${ext}" (give format: csv, tsv or jsonl)`);
}

function delimitedRecords(path: string, rows: Row[], options: TableDatasetOptions): RecordReader {
  const hasHeader = options.header ?? true;
  if (rows.length === 0) throw new Error(`${path}: no examples (the file is empty)`);
  const header = hasHeader ? rows[0] : undefined;
  const data = hasHeader ? rows.slice(1) : rows;
  const width = header ? header.fields.length : data[0].fields.length;
  const index = (column: string): number => {
    if (header) {
      const i = header.fields.indexOf(column);
      if (i < 0) throw new Error(`${path}:${header.line}: no column "${column}" in the header (found ${header.fields.map((f) => JSON.stringify(f)).join(', ')})`);
      return i;
    }
    const i = Number(column);
    if (!Number.isInteger(i) || i < 0 || i >= width) throw new Error(`${path}: column "${column}" must be a number from 0 to ${width - 1} in a file without a header`);
    return i;
  };
  const wanted = [options.columns.text, options.columns.label, options.columns.textPair].filter((c): c is string => c !== undefined);
  const indices = new Map(wanted.map((c) => [c, index(c)]));
  return data.map((row) => {
    if (row.fields.length !== width) throw new Error(`${path}:${row.line}: expected ${width} columns, found ${row.fields.length}`);
    return { line: row.line, get: (column: string) => row.fields[indices.get(column)!] };
  });
}

function jsonRecords(path: string, text: string): RecordReader {
  const records: RecordReader = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      throw new Error(`${path}:${i + 1}: not valid JSON (${(e as Error).message})`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${path}:${i + 1}: expected a JSON object on each line`);
    const obj = value as Record<string, unknown>;
    records.push({ line: i + 1, get: (column) => obj[column] });
  });
  return records;
}

/** Reads a CSV, TSV or JSON-lines file of labelled texts. */
export function readTableDataset(path: string, options: TableDatasetOptions): TextDataset {
  const format = formatOf(path, options.format);
  const text = readTextFile(path);
  const records = format === 'jsonl' ? jsonRecords(path, text) : delimitedRecords(path, format === 'csv' ? parseCsv(text, path) : parseTsv(text), options);
  const kind = options.kind ?? 'classification';
  const labelNames = options.labelNames ? options.labelNames.slice() : [];
  const fixedLabels = options.labelNames !== undefined;
  const examples: Example[] = [];
  const textOf = (value: unknown, column: string, line: number): string => {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    throw new Error(`${path}:${line}: "${column}" is ${value === undefined ? 'missing' : `not text (${JSON.stringify(value)})`}`);
  };
  for (const record of records) {
    const { columns } = options;
    const rawLabel = textOf(record.get(columns.label), columns.label, record.line);
    let label: number;
    if (kind === 'regression') {
      label = Number(rawLabel);
      if (rawLabel.trim() === '' || !Number.isFinite(label)) throw new Error(`${path}:${record.line}: label ${JSON.stringify(rawLabel)} is not a number`);
    } else {
      label = labelNames.indexOf(rawLabel);
      if (label < 0) {
        if (fixedLabels) throw new Error(`${path}:${record.line}: unknown label ${JSON.stringify(rawLabel)} (expected one of ${labelNames.map((l) => JSON.stringify(l)).join(', ')})`);
        label = labelNames.push(rawLabel) - 1;
      }
    }
    const example: Example = { id: `${record.line}`, text: textOf(record.get(columns.text), columns.text, record.line), label };
    if (columns.textPair !== undefined) example.textPair = textOf(record.get(columns.textPair), columns.textPair, record.line);
    examples.push(example);
  }
  if (examples.length === 0) throw new Error(`${path}: no examples (the dataset is empty)`);
  return { name: options.name ?? path.split(/[\\/]/).pop()!, kind, labelNames: kind === 'regression' ? [] : labelNames, examples, source: path };
}
