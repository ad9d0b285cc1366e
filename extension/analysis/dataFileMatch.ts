// Which line of a data file (TSV, CSV or JSON lines) is which case of an analysis file: by text. A line
// matches a case when one of its fields is the case's text (and another its second text, for pairs),
// spaces normalised; a text the analysis file cut (ending in "…") matches a field that starts with it.
// When several cases have the same text, the one whose id names this line wins (file tasks use the line
// number as id, GLUE tasks "split:line"). Pure functions, no vscode.

export type DataFormat = 'tsv' | 'csv' | 'jsonl';

export interface CaseText {
  id: string;
  text: string;
  textPair?: string;
}

/** The format of a data file by its extension (the trainer's rule: .tsv/.tab, .csv, .jsonl/.ndjson/.json). */
export function dataFormatOf(path: string): DataFormat | undefined {
  const ext = /\.([^./\\]+)$/.exec(path)?.[1]?.toLowerCase();
  if (ext === 'tsv' || ext === 'tab') return 'tsv';
  if (ext === 'csv') return 'csv';
  if (ext === 'jsonl' || ext === 'ndjson' || ext === 'json') return 'jsonl';
  return undefined;
}

/** The fields of one CSV line (RFC 4180 quoting); a field whose quotes do not close ends the line. */
export function csvLineFields(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let inQuotes = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (inQuotes) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') inQuotes = false;
      else field += c;
    } else if (c === '"' && field === '') inQuotes = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else field += c;
  }
  fields.push(field);
  return fields;
}

/** The text fields of one line: the columns of TSV and CSV, the string and number values of a JSON object. */
export function lineFields(line: string, format: DataFormat): string[] {
  const text = line.endsWith('\r') ? line.slice(0, -1) : line;
  if (format === 'tsv') return text.split('\t');
  if (format === 'csv') return csvLineFields(text);
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) return [];
  try {
    const obj = JSON.parse(trimmed) as unknown;
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return [];
    return Object.values(obj).flatMap((v) => (typeof v === 'string' ? [v] : typeof v === 'number' || typeof v === 'boolean' ? [String(v)] : []));
  } catch {
    return [];
  }
}

/** Trimmed, runs of white space as one space. */
export function normalizeText(s: string): string {
  return s.trim().replace(/\s+/g, ' ');
}

const ELLIPSIS = '…';

/** The id's line number: "12" (file task) or "dev:12" (GLUE); undefined for other ids. */
export function lineOfId(id: string): number | undefined {
  const m = /^(?:[^:]*:)?(\d+)$/.exec(id);
  return m ? Number(m[1]) : undefined;
}

/** Cases by text: exact texts in a map, cut texts by their prefix (keyed by each distinct prefix length). */
export class CaseTextIndex<C extends CaseText> {
  private readonly exact = new Map<string, C[]>();
  private readonly cut = new Map<number, Map<string, C[]>>();

  constructor(cases: readonly C[]) {
    for (const c of cases) {
      const text = normalizeText(c.text);
      if (text.endsWith(ELLIPSIS)) {
        const prefix = text.slice(0, -1).trimEnd();
        let byPrefix = this.cut.get(prefix.length);
        if (!byPrefix) this.cut.set(prefix.length, (byPrefix = new Map()));
        push(byPrefix, prefix, c);
      } else push(this.exact, text, c);
    }
  }

  /** The cases whose text is this field. */
  candidates(field: string): C[] {
    const text = normalizeText(field);
    const found = this.exact.get(text) ?? [];
    if (this.cut.size === 0) return found;
    const more: C[] = [];
    for (const [length, byPrefix] of this.cut) if (text.length > length) more.push(...(byPrefix.get(text.slice(0, length).trimEnd()) ?? []));
    return more.length ? [...found, ...more] : found;
  }

  /** The case of a line with these fields (line: 1-based), if any. */
  match(fields: readonly string[], line: number): C | undefined {
    let best: C | undefined;
    for (let f = 0; f < fields.length; f++) {
      if (!fields[f].trim()) continue;
      for (const c of this.candidates(fields[f])) {
        if (c.textPair !== undefined && !fields.some((other, k) => k !== f && textMatches(c.textPair!, other))) continue;
        if (lineOfId(c.id) === line) return c;
        best ??= c;
      }
    }
    return best;
  }
}

/** The field is this (possibly cut) text. */
export function textMatches(caseText: string, field: string): boolean {
  const a = normalizeText(caseText);
  const b = normalizeText(field);
  if (a.endsWith(ELLIPSIS)) {
    const prefix = a.slice(0, -1).trimEnd();
    return b.length > prefix.length && b.startsWith(prefix);
  }
  return a === b;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The case of each line that has one (0-based line index -> case). */
export function matchLines<C extends CaseText>(lines: readonly string[], format: DataFormat, index: CaseTextIndex<C>): Map<number, C> {
  const out = new Map<number, C>();
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    const c = index.match(lineFields(line, format), i + 1);
    if (c) out.set(i, c);
  });
  return out;
}
