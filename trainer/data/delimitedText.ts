// Rows of delimited text files, each with the line number where it starts, for messages "file:line".
// TSV as GLUE distributes it: split on tab, quotes are literal characters (never CSV quoting).
// CSV with real quoting (RFC 4180): "a, b" is one field, "" inside quotes is one quote, and a quoted
// field may span lines. A UTF-8 byte order mark at the start is dropped; \r\n and \n both end a line.
// A file that is not UTF-8 (a UTF-16 export, a Latin-1 file) is refused at the line of its first bad byte.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { finishNow, type Steps } from '../util/timeSlices';
import { InputError, shown } from '../errors';

export interface Row {
  /** 1-based line of the file where the row starts. */
  line: number;
  fields: string[];
}

/** The text of a file, without a leading BOM; a clear error when it does not exist or is not UTF-8. */
export function readTextFile(path: string): string {
  if (!existsSync(path)) throw new InputError({ file: path, expected: 'a data file', found: 'no file at this path' });
  if (statSync(path).isDirectory()) throw new InputError({ file: path, expected: 'a data file', found: 'a folder' });
  return decodeUtf8(readFileSync(path), path);
}

/** The offset of the first byte that breaks UTF-8 (overlong forms, surrogates and values past U+10FFFF included). */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    if (b < 0x80) {
      i += 1;
      continue;
    }
    const n = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (n < 0) return i;
    // the allowed range of the second byte (RFC 3629's table), then continuation bytes
    const lo = b === 0xe0 ? 0xa0 : b === 0xf0 ? 0x90 : 0x80;
    const hi = b === 0xed ? 0x9f : b === 0xf4 ? 0x8f : 0xbf;
    if (i + 1 >= bytes.length || bytes[i + 1] < lo || bytes[i + 1] > hi) return i;
    for (let k = 2; k <= n; k++) if (i + k >= bytes.length || (bytes[i + k] & 0xc0) !== 0x80) return i;
    i += n + 1;
  }
  return -1;
}

/** UTF-8 bytes as text (a leading byte order mark dropped); `file` names them in the error. */
export function decodeUtf8(bytes: Uint8Array, file: string): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    const mark = bytes[0] === 0xff ? 'FF FE' : 'FE FF';
    throw new InputError({ file, line: 1, expected: 'UTF-8 text', found: `the UTF-16 byte order mark ${mark}`, hint: 'save the file as UTF-8' });
  }
  let text: string | undefined;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    text = undefined;
  }
  if (text === undefined) {
    const at = Math.max(0, firstInvalidUtf8(bytes));
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < at; i++) {
      if (bytes[i] === 0x0a) {
        line += 1;
        lineStart = i + 1;
      }
    }
    const byte = bytes[at].toString(16).toUpperCase().padStart(2, '0');
    throw new InputError({ file, line, expected: 'UTF-8 text', found: `the byte 0x${byte} at byte ${at - lineStart + 1} of the line`, hint: 'a Latin-1 or Windows-1252 file? save it as UTF-8' });
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Tab-separated rows; empty lines are skipped. */
export function parseTsv(text: string): Row[] {
  return finishNow(tsvRowSteps(text));
}

/** The same, with a step after each line (see util/timeSlices.ts). */
export function* tsvRowSteps(text: string): Steps<Row[]> {
  const rows: Row[] = [];
  const lines = text.split('\n');
  for (const [i, raw] of lines.entries()) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.length > 0) rows.push({ line: i + 1, fields: line.split('\t') });
    yield;
  }
  return rows;
}

/** CSV rows with RFC 4180 quoting; empty lines are skipped. `source` names the file in errors. */
export function parseCsv(text: string, source: string, delimiter = ','): Row[] {
  return finishNow(csvRowSteps(text, source, delimiter));
}

/** The same, with a step after each row (200,000 quoted rows, 30 MB: 3.6 s in all; see util/timeSlices.ts). */
export function* csvRowSteps(text: string, source: string, delimiter = ','): Steps<Row[]> {
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
          throw new InputError({ file: source, line, expected: `${JSON.stringify(delimiter)} or the end of the line after a closing quote`, found: shown(next), hint: 'a quote inside a quoted field is written twice ("")' });
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
      yield;
    } else {
      field += c;
    }
    i += 1;
  }
  if (inQuotes) throw new InputError({ file: source, line: rowLine, expected: 'the closing quote of the quoted field that starts on this line', found: 'the end of the file', hint: 'a quote inside a quoted field is written twice ("")' });
  if (field !== '' || fields.length > 0 || quotedField) endRow();
  return rows;
}
