// What a suite returns and how it becomes Markdown: tables of already formatted cells, notes, and
// the raw figures (JSON) for whoever wants to compare runs.
export type Cell = string | number;

export interface Table {
  title: string;
  columns: string[];
  rows: Cell[][];
  /** A line under the table: what the figures mean. */
  note?: string;
}

export interface SuiteResult {
  suite: string;
  title: string;
  /** Seconds the suite took, models and data included. */
  seconds: number;
  tables: Table[];
  notes: string[];
  /** The raw figures. */
  data: Record<string, unknown>;
  /** Set when the suite could not run here (missing data, no code-server): why. */
  skipped?: string;
  /** The TensorFlow.js backend the suite ran on (suites that use one). */
  backend?: { backend: string; package: string; version: string; device: string };
}

export function markdownTable(t: Table): string {
  const cell = (c: Cell) => String(c).replace(/\|/g, '\\|');
  const lines = [
    `| ${t.columns.map(cell).join(' | ')} |`,
    `|${t.columns.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`,
    ...t.rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ];
  return [`**${t.title}**`, '', ...lines, ...(t.note ? ['', t.note] : [])].join('\n');
}

export function markdownSuite(r: SuiteResult): string {
  const head = `## ${r.title}\n\n_${r.seconds.toFixed(0)} s._`;
  if (r.skipped) return `${head} Skipped: ${r.skipped}`;
  const notes = r.notes.length ? `\n\n${r.notes.map((n) => `- ${n}`).join('\n')}` : '';
  return `${head}${notes}\n\n${r.tables.map(markdownTable).join('\n\n')}`;
}

/** Formatting helpers: fixed decimals, thousands, percent, ratio. */
export const fmt = {
  n: (x: number, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a'),
  int: (x: number) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : 'n/a'),
  pct: (x: number, digits = 0) => (Number.isFinite(x) ? `${(100 * x).toFixed(digits)}%` : 'n/a'),
  x: (x: number, digits = 1) => (Number.isFinite(x) ? `${x.toFixed(digits)}x` : 'n/a'),
  ms: (x: number) => (Number.isFinite(x) ? (x >= 100 ? x.toFixed(0) : x.toFixed(1)) : 'n/a'),
  g: (flops: number) => (flops / 1e9).toFixed(flops >= 1e10 ? 0 : 2),
  mib: (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`,
};
