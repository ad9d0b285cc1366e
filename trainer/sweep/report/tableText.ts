// The cells of the report's tables as text, shared by its renderers: markdown (values with 4 decimals,
// "-" for no value, pipes escaped) and CSV (RFC 4180 quoting, NaN as an empty field).

/** A value of a metric with 4 decimals; "-" for no value. */
export const value = (v: number) => (Number.isFinite(v) ? v.toFixed(4) : '-');
/** A number with `digits` decimals and a unit; "-" for none. */
export const fixed = (v: number | undefined, digits: number, unit = '') => (v !== undefined && Number.isFinite(v) ? `${v.toFixed(digits)}${unit}` : '-');
const cellText = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
/** A markdown table line. */
export const line = (fields: string[]) => `| ${fields.map(cellText).join(' | ')} |`;
/** The alignment row: one letter per column, l (left) or r (right). */
export const rule = (aligns: string) => `|${[...aligns].map((a) => (a === 'r' ? '---:' : '---')).join('|')}|`;

/** A CSV field: quoted when it holds a comma, a quote or a line break (RFC 4180); NaN is empty. */
export function csvField(v: string | number | null): string {
  if (v === null || (typeof v === 'number' && !Number.isFinite(v))) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
/** A CSV text: one line per row, each ending in \n. */
export const csv = (rows: (string | number | null)[][]) => rows.map((r) => r.map(csvField).join(',')).join('\n') + '\n';
