// Rows of delimited text files, each with the line number where it starts, for messages "file:line".
// TSV as GLUE distributes it: split on tab, quotes are literal characters (never CSV quoting).
// CSV with real quoting (RFC 4180): "a, b" is one field, "" inside quotes is one quote, and a quoted
// field may span lines. A UTF-8 byte order mark at the start is dropped; \r\n and \n both end a line.
import { existsSync, readFileSync } from 'node:fs';

export interface Row {
  /** 1-based line of the file where the row starts. */
  line: number;
  fields: string[];
}

/** The text of a file, without a leading BOM; a clear error when it does not exist. */
export function readTextFile(path: string): string {
  if (!existsSync(path)) throw new Error(`${path}: file not found`);
  const text = readFileSync(path, 'utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Tab-separated rows; empty lines are skipped. */
export function parseTsv(text: string): Row[] {
  const rows: Row[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.length > 0) rows.push({ line: i + 1, fields: line.split('\t') });
  });
  return rows;
}

/** CSV rows with RFC 4180 quoting; empty lines are skipped. `source` names the file in errors. */
export function parseCsv(text: string, source: string, delimiter = ','): Row[] {
  const rows: Row[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let rowLine = 1;
  let inQuotes = false;
  let quotedField = false;
  let i = 0;
  const endRow = (): void => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === '' && !quotedField)) rows.push({ line: rowLine, fields });
    fields = [];
    field = '';
    quotedField = false;
  };
  while (i < text.length) {
    const c = text[i];
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        inQuotes = false;
        const next = text[i + 1];
        if (next !== undefined && next !== delimiter && next !== '\n' && next !== '\r') {
          throw new Error(`${source}:${line}: unexpected ${JSON.stringify(next)} after a closing quote`);
        }
      } else {
        if (c === '\n') line += 1;
        field += c;
      }
      i += 1;
      continue;
    }
    if (c === '"' && field === '') {
      inQuotes = true;
      quotedField = true;
    } else if (c === delimiter) {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i += 1;
      endRow();
      line += 1;
      rowLine = line;
    } else {
      field += c;
    }
    i += 1;
  }
  if (inQuotes) throw new Error(`${source}:${rowLine}: a quoted field is not closed before the end of the file`);
  if (field !== '' || fields.length > 0 || quotedField) endRow();
  return rows;
}
