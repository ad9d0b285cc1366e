// The case table's model, pure and DOM-free: what is right or wrong, the filters, search, sorting and
// paging over thousands of case records. Per-case values are computed once per file, so that a filter,
// a sort or a page turn only touches indices.
import type { CaseFilter, CasesFileView, CaseView, Num, SortDirection, SortKey, StudentCaseView } from './protocol';

export interface DerivedCase {
  /** Position in the file: the stable tie-breaker of every sort. */
  index: number;
  record: CaseView;
  teacherRight: boolean;
  lrcRight?: boolean;
  mseRight?: boolean;
  /** The student's prediction differs from the teacher's. */
  lrcDisagrees?: boolean;
  mseDisagrees?: boolean;
  /** Means over the mapped layers (null when a value is missing). */
  lrcAngular: Num;
  lrcMse: Num;
  mseAngular: Num;
  mseMse: Num;
  /** Lower-case text, pair and id, for the search. */
  haystack: string;
}

export interface CaseSet {
  cases: DerivedCase[];
  kind: 'classification' | 'regression';
  hasLrc: boolean;
  hasMse: boolean;
  /** "small MSE": the MSE student's mean per-layer MSE is below this, the median over the set. */
  smallMseThreshold: Num;
  /** Regression only: a prediction within this of the gold score counts as right (10% of the gold range). */
  tolerance?: number;
  counts: Record<CaseFilter, number>;
  /** The largest per-layer value of each student and measure (for the table's bars). */
  layerMax: { lrcAngular: number; lrcMse: number; mseAngular: number; mseMse: number };
}

/** Mean of the values; null when there are none or one is missing. */
export function mean(values: readonly Num[] | undefined): Num {
  if (!values || values.length === 0) return null;
  let s = 0;
  for (const v of values) {
    if (v === null || !Number.isFinite(v)) return null;
    s += v;
  }
  return s / values.length;
}

/** The median of the finite values; null when there are none. */
export function median(values: readonly Num[]): Num {
  const xs = values.filter((v): v is number => v !== null && Number.isFinite(v)).sort((a, b) => a - b);
  if (xs.length === 0) return null;
  const mid = xs.length >> 1;
  return xs.length % 2 ? xs[mid] : (xs[mid - 1] + xs[mid]) / 2;
}

/** Regression: 10% of the range of the gold scores (at least 1e-9). */
export function regressionTolerance(labels: readonly number[]): number {
  if (labels.length === 0) return 1e-9;
  let lo = Infinity;
  let hi = -Infinity;
  for (const l of labels) {
    lo = Math.min(lo, l);
    hi = Math.max(hi, l);
  }
  return Math.max(1e-9, 0.1 * (hi - lo));
}

function isRight(prediction: Num, label: number, kind: CaseSet['kind'], tolerance: number): boolean {
  if (prediction === null) return false;
  return kind === 'classification' ? prediction === label : Math.abs(prediction - label) <= tolerance;
}

function differs(a: Num, b: Num, kind: CaseSet['kind'], tolerance: number): boolean {
  if (a === null || b === null) return a !== b;
  return kind === 'classification' ? a !== b : Math.abs(a - b) > tolerance;
}

function maxOf(cases: readonly CaseView[], pick: (c: CaseView) => readonly Num[] | undefined): number {
  let max = 0;
  for (const c of cases) for (const v of pick(c) ?? []) if (v !== null && v > max) max = v;
  return max;
}

/** The filter's test of one case. */
export function passes(c: DerivedCase, filter: CaseFilter, set: Pick<CaseSet, 'smallMseThreshold'>): boolean {
  switch (filter) {
    case 'all':
      return true;
    case 'lrcRightMseWrong':
      return c.lrcRight === true && c.mseRight === false;
    case 'mseWrongSmallMse':
      return c.mseRight === false && c.mseMse !== null && set.smallMseThreshold !== null && c.mseMse < set.smallMseThreshold;
    case 'bothWrong':
      return c.lrcRight === false && c.mseRight === false;
    case 'teacherDisagree':
      return c.lrcDisagrees === true || c.mseDisagrees === true;
  }
}

/** Filters that need both students. */
export const PAIRED_FILTERS: readonly CaseFilter[] = ['lrcRightMseWrong', 'mseWrongSmallMse', 'bothWrong'];

/** The derived values of every case of a file, the threshold of "small MSE" and the filters' counts. */
export function deriveCases(file: Pick<CasesFileView, 'cases' | 'kind'>): CaseSet {
  const kind = file.kind;
  const tolerance = kind === 'regression' ? regressionTolerance(file.cases.map((c) => c.label)) : 0;
  const student = (s: StudentCaseView | undefined, c: CaseView) => s && {
    right: isRight(s.prediction, c.label, kind, tolerance),
    disagrees: differs(s.prediction, c.teacher.prediction, kind, tolerance),
    angular: mean(s.angular),
    mse: mean(s.mse),
  };
  const cases = file.cases.map((record, index): DerivedCase => {
    const lrc = student(record.lrc, record);
    const mse = student(record.mse, record);
    return {
      index,
      record,
      teacherRight: isRight(record.teacher.prediction, record.label, kind, tolerance),
      lrcRight: lrc?.right,
      mseRight: mse?.right,
      lrcDisagrees: lrc?.disagrees,
      mseDisagrees: mse?.disagrees,
      lrcAngular: lrc ? lrc.angular : null,
      lrcMse: lrc ? lrc.mse : null,
      mseAngular: mse ? mse.angular : null,
      mseMse: mse ? mse.mse : null,
      haystack: `${record.id}\n${record.text}\n${record.textPair ?? ''}`.toLowerCase(),
    };
  });
  const hasMse = file.cases.some((c) => c.mse);
  const smallMseThreshold = hasMse ? median(cases.map((c) => c.mseMse)) : null;
  const set: CaseSet = {
    cases,
    kind,
    hasLrc: file.cases.some((c) => c.lrc),
    hasMse,
    smallMseThreshold,
    ...(kind === 'regression' ? { tolerance } : {}),
    counts: { all: 0, lrcRightMseWrong: 0, mseWrongSmallMse: 0, bothWrong: 0, teacherDisagree: 0 },
    layerMax: {
      lrcAngular: maxOf(file.cases, (c) => c.lrc?.angular),
      lrcMse: maxOf(file.cases, (c) => c.lrc?.mse),
      mseAngular: maxOf(file.cases, (c) => c.mse?.angular),
      mseMse: maxOf(file.cases, (c) => c.mse?.mse),
    },
  };
  for (const c of cases) for (const f of Object.keys(set.counts) as CaseFilter[]) if (passes(c, f, set)) set.counts[f]++;
  return set;
}

/** Cases whose id, text or pair holds every word of the query (case-insensitive). */
export function search(cases: readonly DerivedCase[], query: string): DerivedCase[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return cases.slice();
  return cases.filter((c) => words.every((w) => c.haystack.includes(w)));
}

/** The probability the model gives its own prediction (its confidence); the score for regression. */
export function confidence(p: { prediction: Num; probabilities?: Num[] } | undefined): Num {
  if (!p || p.prediction === null) return null;
  if (!p.probabilities) return p.prediction;
  return p.probabilities[p.prediction] ?? null;
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

function sortValue(c: DerivedCase, key: SortKey): number | string | null {
  const r = c.record;
  switch (key) {
    case 'id': return r.id;
    case 'text': return r.text;
    case 'gold': return r.label;
    case 'teacher': return confidence(r.teacher);
    case 'lrc': return confidence(r.lrc);
    case 'mse': return confidence(r.mse);
    case 'lrcAngular': return c.lrcAngular;
    case 'lrcMse': return c.lrcMse;
    case 'mseAngular': return c.mseAngular;
    case 'mseMse': return c.mseMse;
  }
}

/** A sorted copy: missing values last in both directions, ties in file order. */
export function sortCases(cases: readonly DerivedCase[], key: SortKey, direction: SortDirection): DerivedCase[] {
  const sign = direction === 'asc' ? 1 : -1;
  const keyed = cases.map((c) => ({ c, v: sortValue(c, key) }));
  keyed.sort((a, b) => {
    if (a.v === null || b.v === null) return a.v === b.v ? a.c.index - b.c.index : a.v === null ? 1 : -1;
    const d = typeof a.v === 'string' || typeof b.v === 'string' ? collator.compare(String(a.v), String(b.v)) : a.v - b.v;
    return d !== 0 ? sign * d : a.c.index - b.c.index;
  });
  return keyed.map((k) => k.c);
}

export interface Page<T> {
  rows: T[];
  /** 0-based, clamped into 0..pageCount-1. */
  page: number;
  pageCount: number;
  /** 0-based index of the first row shown, and one past the last. */
  start: number;
  end: number;
  total: number;
}

/** One page of the list; a page past the end shows the last page. */
export function pageOf<T>(list: readonly T[], page: number, pageSize: number): Page<T> {
  const size = Math.max(1, Math.floor(pageSize));
  const pageCount = Math.max(1, Math.ceil(list.length / size));
  const p = Math.min(pageCount - 1, Math.max(0, Math.floor(page)));
  const start = p * size;
  const end = Math.min(list.length, start + size);
  return { rows: list.slice(start, end), page: p, pageCount, start, end, total: list.length };
}

export interface CaseQuery {
  filter: CaseFilter;
  search: string;
  sort: { key: SortKey; direction: SortDirection };
  page: number;
  pageSize: number;
}

/** Filter, search, sort, then one page. */
export function queryCases(set: CaseSet, q: CaseQuery): Page<DerivedCase> & { matching: DerivedCase[] } {
  const filtered = q.filter === 'all' ? set.cases : set.cases.filter((c) => passes(c, q.filter, set));
  const found = q.search.trim() ? search(filtered, q.search) : filtered;
  const sorted = q.sort.key === 'id' && q.sort.direction === 'asc' && isIdOrdered(set) ? found : sortCases(found, q.sort.key, q.sort.direction);
  return { ...pageOf(sorted, q.page, q.pageSize), matching: sorted };
}

// Files list their cases in id order (file order): sorting by id ascending is then the identity.
const idOrdered = new WeakMap<CaseSet, boolean>();
function isIdOrdered(set: CaseSet): boolean {
  let v = idOrdered.get(set);
  if (v === undefined) {
    v = set.cases.every((c, i) => i === 0 || collator.compare(set.cases[i - 1].record.id, c.record.id) <= 0);
    idOrdered.set(set, v);
  }
  return v;
}
