// The case table: one page of rows (only the page is in the DOM, so thousands of cases stay fast),
// headers that sort, a row that is selected by click or keyboard.
import type { CaseSet, DerivedCase } from './caseModel';
import { formatValue, labelName, predictionText } from './format';
import { el } from './pageTools';
import type { Num, PredictionView, SortDirection, SortKey } from './protocol';

interface Column {
  key: SortKey;
  header: string;
  title: string;
  /** Shown only when the file has this student. */
  needs?: 'lrc' | 'mse';
  cell(c: DerivedCase, labels: readonly string[], set: CaseSet): Node | string;
  className?: string;
}

function prediction(p: PredictionView | undefined, right: boolean | undefined, labels: readonly string[]): Node {
  const span = el('span', { className: right === false ? 'wrong' : right ? 'right' : '', text: predictionText(p, labels) });
  if (right !== undefined) span.prepend(el('span', { className: 'mark', 'aria-label': right ? 'right' : 'wrong', text: right ? '✓ ' : '✗ ' }));
  return span;
}

/** Up to this many mapped layers the values are written out; above, the mean and a bar per layer. */
const WRITTEN_LAYERS = 4;

function perLayer(values: readonly Num[] | undefined, meanValue: Num, max: number): Node | string {
  if (!values) return '–';
  const title = `${values.map((v, k) => `layer ${k + 1}: ${formatValue(v, 4)}`).join('\n')}\nmean ${formatValue(meanValue, 4)}`;
  if (values.length <= WRITTEN_LAYERS) return el('span', { title, text: values.map((v) => formatValue(v, 3)).join(' · ') });
  const bars = el('span', { className: 'layer-bars', 'aria-hidden': 'true' }, ...values.map((v) => {
    const bar = el('i');
    bar.style.height = `${Math.round((Math.max(0, v ?? 0) / (max || 1)) * 100)}%`;
    return bar;
  }));
  return el('span', { title, className: 'layer-summary' }, el('span', { text: `x̄ ${formatValue(meanValue, 3)}` }), bars);
}

export const COLUMNS: Column[] = [
  { key: 'id', header: 'Id', title: 'The example (file line, or split:line)', cell: (c) => c.record.id, className: 'col-id' },
  {
    key: 'text', header: 'Text', title: 'The example text (and second text of a pair)', className: 'col-text',
    cell: (c) => el('div', {}, el('div', { text: c.record.text }), c.record.textPair !== undefined && el('div', { className: 'muted', text: c.record.textPair })),
  },
  { key: 'gold', header: 'Gold', title: 'The gold label', cell: (c, l) => labelName(l, c.record.label) },
  { key: 'teacher', header: 'Teacher', title: 'Teacher prediction and its probability', className: 'pred', cell: (c, l) => prediction(c.record.teacher, c.teacherRight, l) },
  { key: 'lrc', header: 'LRC', title: 'LRC student prediction and its probability', needs: 'lrc', className: 'pred', cell: (c, l) => prediction(c.record.lrc, c.lrcRight, l) },
  { key: 'mse', header: 'MSE', title: 'MSE baseline student prediction and its probability', needs: 'mse', className: 'pred', cell: (c, l) => prediction(c.record.mse, c.mseRight, l) },
  { key: 'lrcAngular', header: 'LRC ∠ / layer', title: 'LRC student: angular distance to the teacher per mapped layer (sorts by the mean)', needs: 'lrc', cell: (c, _l, s) => perLayer(c.record.lrc?.angular, c.lrcAngular, s.layerMax.lrcAngular), className: 'num' },
  { key: 'lrcMse', header: 'LRC MSE / layer', title: 'LRC student: MSE to the teacher per mapped layer (sorts by the mean)', needs: 'lrc', cell: (c, _l, s) => perLayer(c.record.lrc?.mse, c.lrcMse, s.layerMax.lrcMse), className: 'num' },
  { key: 'mseAngular', header: 'MSE ∠ / layer', title: 'MSE baseline: angular distance to the teacher per mapped layer (sorts by the mean)', needs: 'mse', cell: (c, _l, s) => perLayer(c.record.mse?.angular, c.mseAngular, s.layerMax.mseAngular), className: 'num' },
  { key: 'mseMse', header: 'MSE MSE / layer', title: 'MSE baseline: MSE to the teacher per mapped layer (sorts by the mean)', needs: 'mse', cell: (c, _l, s) => perLayer(c.record.mse?.mse, c.mseMse, s.layerMax.mseMse), className: 'num' },
];

export interface TableEvents {
  sort(key: SortKey): void;
  select(c: DerivedCase): void;
  /** Move the selection by `delta` rows within the page. */
  move(delta: number): void;
}

export class CaseTable {
  readonly element = el('table', { id: 'case-table', className: 'case-table' });
  private readonly body = el('tbody');

  constructor(private readonly events: TableEvents) {
    this.element.append(el('thead'), this.body);
    this.element.addEventListener('keydown', (e) => {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        this.events.move(e.key === 'ArrowDown' ? 1 : -1);
      }
    });
  }

  private columns(set: CaseSet): Column[] {
    return COLUMNS.filter((c) => !c.needs || (c.needs === 'lrc' ? set.hasLrc : set.hasMse));
  }

  /** Rebuilds the header (on a new file or sort) and the rows of the page. */
  render(set: CaseSet, rows: readonly DerivedCase[], labels: readonly string[], sort: { key: SortKey; direction: SortDirection }, selectedId: string | undefined): void {
    const columns = this.columns(set);
    const head = el('tr', {}, ...columns.map((col) => {
      const th = el('th', { scope: 'col', title: col.title, className: col.className, 'data-sort': col.key, 'aria-sort': col.key === sort.key ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none' });
      const b = el('button', { className: 'sort', id: `sort-${col.key}`, text: `${col.header}${col.key === sort.key ? (sort.direction === 'asc' ? ' ▲' : ' ▼') : ''}` });
      b.addEventListener('click', () => this.events.sort(col.key));
      th.append(b);
      return th;
    }));
    this.element.tHead!.replaceChildren(head);
    const fragment = document.createDocumentFragment();
    for (const c of rows) {
      const tr = el('tr', { tabindex: 0, 'data-case-id': c.record.id, 'aria-selected': String(c.record.id === selectedId) },
        ...columns.map((col) => el('td', { className: col.className }, col.cell(c, labels, set))));
      tr.addEventListener('click', () => this.events.select(c));
      tr.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          this.events.select(c);
        }
      });
      fragment.append(tr);
    }
    this.body.replaceChildren(fragment);
    if (rows.length === 0) this.body.append(el('tr', {}, el('td', { colspan: columns.length, className: 'muted', text: 'No case fits the filter and the search.' })));
  }

  /** Marks the selected row without rebuilding the page; focuses it when asked. */
  markSelected(id: string | undefined, focus = false): void {
    for (const tr of this.body.querySelectorAll<HTMLTableRowElement>('tr[data-case-id]')) {
      const on = tr.dataset.caseId === id;
      tr.setAttribute('aria-selected', String(on));
      if (on && focus) tr.focus();
    }
  }
}
