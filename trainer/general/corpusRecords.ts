// The texts of one corpus file, record by record, streamed from any position (trainer/general/lineReader.ts):
//   .txt, text 'lines': every non-blank line is a passage;
//   .txt, text 'documents': lines up to a blank line make one document (cut into windows later);
//   .jsonl: one JSON object a line, its `field` (a string);
//   .tsv / .csv: one `column` (a header name, or a 0-based number with header false); CSV with RFC 4180
//   quoting, a quoted field may span lines; TSV as GLUE writes it, quotes are literal.
// Every record carries where it starts and where the next one starts, the position a resumed run goes on from.
import { parseCsv } from '../data/delimitedText';
import { excerpt, InputError, shown, shownList } from '../errors';
import type { CorpusFile } from './corpusFiles';
import { readLines, type FileLine, type LineCursor } from './lineReader';

export interface CorpusReadSettings {
  /** .txt files: one passage a line, or blank-line separated documents. */
  text: 'lines' | 'documents';
  /** .jsonl files: the field holding the text. */
  field: string;
  /** .tsv / .csv files: the column holding the text, a header name, or a 0-based number without a header. */
  column: string;
  /** .tsv / .csv files have a header line. */
  header: boolean;
  /** Bytes read at a time. */
  chunkBytes: number;
}

export interface CorpusRecord {
  text: string;
  /** 1-based line where the record starts. */
  line: number;
  /** Byte offset where the record starts. */
  start: number;
  /** Where the next record starts. */
  next: LineCursor;
}

export const FILE_START: LineCursor = { offset: 0, line: 1 };

const isBlank = (s: string): boolean => s.trim() === '';

/** A table record: a TSV line, or CSV lines joined while a quote is open (an odd number of quote characters so far). */
function* tableRecords(file: CorpusFile, lines: Iterable<FileLine>): Generator<{ text: string; first: FileLine; last: FileLine }> {
  let pending: FileLine[] = [];
  let quotes = 0;
  for (const l of lines) {
    pending.push(l);
    if (file.format === 'csv') for (let i = 0; i < l.text.length; i++) if (l.text.charCodeAt(i) === 34) quotes += 1;
    if (quotes % 2 === 0) {
      yield { text: pending.map((p) => p.text).join('\n'), first: pending[0], last: l };
      pending = [];
      quotes = 0;
    }
  }
  if (pending.length) yield { text: pending.map((p) => p.text).join('\n'), first: pending[0], last: pending[pending.length - 1] };
}

function splitFields(file: CorpusFile, text: string, line: number): string[] {
  if (file.format === 'tsv') return text.split('\t');
  const rows = parseCsv(text, `${file.path}:${line}`);
  return rows[0]?.fields ?? [''];
}

/** The 0-based index of the text column of a .tsv / .csv file (reads its header line when it has one). */
export function columnIndexOf(file: CorpusFile, settings: CorpusReadSettings): number {
  const field = `column ${shown(settings.column)}`;
  if (!settings.header) {
    if (!/^\d+$/.test(settings.column)) throw new InputError({ file: file.path, field, expected: 'a 0-based column number (the file has no header line)', found: shown(settings.column) });
    return Number(settings.column);
  }
  for (const r of tableRecords(file, readLines(file.path, FILE_START, settings.chunkBytes))) {
    const names = splitFields(file, r.text, r.first.line);
    const index = names.indexOf(settings.column);
    if (index < 0) throw new InputError({ file: file.path, line: r.first.line, field, expected: 'a column of the header line', found: shownList(names) });
    return index;
  }
  throw new InputError({ file: file.path, expected: 'a header line', found: 'an empty file' });
}

function jsonText(file: CorpusFile, l: FileLine, fieldName: string): string {
  let value: unknown;
  try {
    value = JSON.parse(l.text);
  } catch {
    throw new InputError({ file: file.path, line: l.line, expected: 'a JSON object', found: excerpt(l.text) });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InputError({ file: file.path, line: l.line, expected: 'a JSON object', found: shown(value) });
  const text = (value as Record<string, unknown>)[fieldName];
  if (typeof text !== 'string') throw new InputError({ file: file.path, line: l.line, field: `field ${shown(fieldName)}`, expected: 'a string', found: text === undefined ? `no such field (the fields: ${shownList(Object.keys(value))})` : shown(text) });
  return text;
}

/** The records of `file` from `from` (a record's start, or FILE_START); blank texts are left out. */
export function* readRecords(file: CorpusFile, settings: CorpusReadSettings, from: LineCursor = FILE_START): Generator<CorpusRecord> {
  const lines = readLines(file.path, from, settings.chunkBytes);
  const after = (l: FileLine): LineCursor => ({ offset: l.next, line: l.line + 1 });
  if (file.format === 'txt' && settings.text === 'documents') {
    let doc: FileLine[] = [];
    const flush = (next: LineCursor): CorpusRecord => {
      const r = { text: doc.map((d) => d.text).join('\n'), line: doc[0].line, start: doc[0].start, next };
      doc = [];
      return r;
    };
    for (const l of lines) {
      if (!isBlank(l.text)) doc.push(l);
      else if (doc.length) yield flush(after(l));
    }
    if (doc.length) yield flush(after(doc[doc.length - 1]));
    return;
  }
  if (file.format === 'txt' || file.format === 'jsonl') {
    for (const l of lines) {
      if (isBlank(l.text)) continue;
      const text = file.format === 'txt' ? l.text : jsonText(file, l, settings.field);
      if (!isBlank(text)) yield { text, line: l.line, start: l.start, next: after(l) };
    }
    return;
  }
  const column = columnIndexOf(file, settings);
  let skipHeader = settings.header && from.offset === 0;
  for (const r of tableRecords(file, lines)) {
    if (isBlank(r.text)) continue;
    if (skipHeader) {
      skipHeader = false;
      continue;
    }
    const fields = splitFields(file, r.text, r.first.line);
    if (column >= fields.length) {
      throw new InputError({ file: file.path, line: r.first.line, field: `column ${shown(settings.column)}`, expected: `at least ${column + 1} fields`, found: `${fields.length} (${excerpt(r.text)})` });
    }
    if (!isBlank(fields[column])) yield { text: fields[column], line: r.first.line, start: r.first.start, next: after(r.last) };
  }
}
