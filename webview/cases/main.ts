// The case analysis (browser side): every case of an analysis file in a table with filters (the
// paper's cases among them), search, sorting and paging; the selected case's per-layer distances of
// both students in a chart. The host sends the whole file's cases once; filtering, sorting and paging
// happen here on indices, and only one page of rows is in the DOM.
import { ReadyNotification } from '../shared/protocol';
import { connect } from '../shared/vscodeApi';
import { button, setDisabled } from '../shared/toolkit';
import { deriveCases, PAIRED_FILTERS, queryCases, type CaseSet, type DerivedCase } from './caseModel';
import { perLayerMeans, renderCaseDetail, type LayerMeans } from './caseDetail';
import { CaseTable } from './caseTable';
import { formatValue } from './format';
import { el, onThemeChange, runProbe, timeToPaint } from './pageTools';
import {
  CASE_FILTERS,
  CasesProbe,
  DidChangeFilesNotification,
  DidFailNotification,
  DidFocusCaseNotification,
  DidLoadCasesNotification,
  PAGE_SIZES,
  SelectFileNotification,
  isCasesState,
  type AnalysisFileChoice,
  type CaseFilter,
  type CasesFileView,
  type CasesState,
} from './protocol';

const host = connect<CasesState>();
const root = document.getElementById('cases-root')!;
const saved = host.getState();
const runId = root.dataset.runId ?? (isCasesState(saved) ? saved.runId : undefined);
const runDir = root.dataset.runDir ?? (isCasesState(saved) ? saved.runDir : undefined);

let state: CasesState = isCasesState(saved) && saved.runId === runId
  ? { ...saved, runDir }
  : { runId: runId ?? '', runDir, filter: 'all', sort: { key: 'id', direction: 'asc' }, search: '', page: 0, pageSize: 50 };
let file: CasesFileView | undefined;
let files: AnalysisFileChoice[] = [];
let set: CaseSet | undefined;
let pageRows: DerivedCase[] = [];
let layerMeans: LayerMeans | undefined;
const timings = { loadMs: 0, loadPaintMs: 0, renderMs: 0, renderPaintMs: 0, cases: 0 };
let pendingPaint: Promise<number> | undefined;

const FILTER_LABELS: Record<CaseFilter, string> = {
  all: 'All',
  lrcRightMseWrong: 'LRC right, MSE wrong',
  mseWrongSmallMse: 'MSE wrong, small MSE',
  bothWrong: 'Both wrong',
  teacherDisagree: 'Disagree with teacher',
};

// ---- the page ----------------------------------------------------------------------------------

const title = el('h1', { text: 'Case analysis' });
const subtitle = el('p', { id: 'subtitle', className: 'muted' });
const fileSelect = el('select', { id: 'file-select', 'aria-label': 'Analysis file' });
const filterBar = el('div', { id: 'filters', className: 'filters', role: 'radiogroup', 'aria-label': 'Filter' });
const filterButtons = new Map<CaseFilter, HTMLButtonElement>(CASE_FILTERS.map((f) => {
  const b = el('button', { id: `filter-${f}`, className: 'segment', role: 'radio' });
  b.addEventListener('click', () => update({ filter: f, page: 0 }));
  filterBar.append(b);
  return [f, b];
}));
const filterNote = el('p', { id: 'filter-note', className: 'muted filter-note' });
const searchInput = el('input', { id: 'search', type: 'search', placeholder: 'Search text or id', 'aria-label': 'Search', value: state.search });
const pageSizeSelect = el('select', { id: 'page-size', 'aria-label': 'Rows per page' }, ...PAGE_SIZES.map((n) => el('option', { value: n, text: `${n} per page`, selected: n === state.pageSize })));
const prevButton = button('Previous', () => update({ page: state.page - 1 }), 'secondary');
prevButton.id = 'prev-page';
const nextButton = button('Next', () => update({ page: state.page + 1 }), 'secondary');
nextButton.id = 'next-page';
const pageLabel = el('span', { id: 'page-label', className: 'page-label' });
const table = new CaseTable({
  sort: (key) => update({ sort: { key, direction: state.sort.key === key && state.sort.direction === 'asc' ? 'desc' : key === 'id' || key === 'text' || key === 'gold' ? 'asc' : key === state.sort.key ? 'asc' : 'desc' }, page: 0 }),
  select: (c) => select(c.record.id),
  move: (delta) => {
    const at = pageRows.findIndex((c) => c.record.id === state.selectedId);
    const next = pageRows[Math.max(0, Math.min(pageRows.length - 1, at + delta))];
    if (next) select(next.record.id, true);
  },
});
const detail = el('section', { id: 'case-detail', className: 'case-detail', 'aria-live': 'polite' });
const message = el('p', { id: 'message', className: 'message' });

let searchTimer: number | undefined;
searchInput.addEventListener('input', () => {
  if (searchTimer !== undefined) clearTimeout(searchTimer);
  searchTimer = window.setTimeout(() => {
    searchTimer = undefined;
    update({ search: searchInput.value, page: 0 });
  }, 120);
});
pageSizeSelect.addEventListener('change', () => update({ pageSize: Number(pageSizeSelect.value), page: 0 }));
fileSelect.addEventListener('change', () => {
  const [fileRunId, step] = fileSelect.value.split('@');
  if (runId) host.post(SelectFileNotification.create({ runId, fileRunId, step: Number(step) }));
});

root.replaceChildren(
  title,
  subtitle,
  el('div', { className: 'toolbar' }, el('label', { className: 'field' }, 'File ', fileSelect), searchInput, pageSizeSelect),
  filterBar,
  filterNote,
  el('div', { className: 'pager' }, prevButton, pageLabel, nextButton),
  el('div', { className: 'table-wrap' }, table.element),
  detail,
  message,
);
onThemeChange(() => renderDetail());
let detailWidth = 0;
new ResizeObserver(() => {
  // only a new width changes the charts; a new height is the detail growing
  if (Math.abs(detail.clientWidth - detailWidth) < 2) return;
  detailWidth = detail.clientWidth;
  renderDetail();
}).observe(detail);

// ---- rendering -----------------------------------------------------------------------------------

function update(change: Partial<CasesState>): void {
  state = { ...state, ...change };
  host.setState(state);
  render();
}

function fileLabel(f: AnalysisFileChoice): string {
  const who = f.students.length === 2 ? 'LRC + MSE (paired)' : f.students[0] === 'lrc' ? 'LRC student' : 'MSE student';
  return `step ${f.step} · ${who}${f.runId !== runId ? ` · ${f.runId}` : ''}`;
}

function renderFiles(): void {
  fileSelect.replaceChildren(...files.map((f) => el('option', { value: `${f.runId}@${f.step}`, text: fileLabel(f), selected: !!file && f.runId === file.runId && f.step === file.step })));
}

function filterDescription(f: CaseFilter, s: CaseSet): string {
  const wrong = s.kind === 'regression' ? ` (regression: right means within ${formatValue(s.tolerance ?? 0, 3)} of the gold score, 10% of its range)` : '';
  switch (f) {
    case 'all': return `Every case of the file${wrong}.`;
    case 'lrcRightMseWrong': return `The LRC student is right and the MSE baseline is wrong${wrong}.`;
    case 'mseWrongSmallMse':
      return `The paper's case: the MSE baseline is wrong although its MSE to the teacher is small. Small: its mean MSE over the mapped layers is below the median of this file's cases (${formatValue(s.smallMseThreshold, 4)})${wrong}.`;
    case 'bothWrong': return `Both students are wrong${wrong}.`;
    case 'teacherDisagree': return `The LRC student or the MSE baseline predicts differently from the teacher${s.kind === 'regression' ? ` (by more than ${formatValue(s.tolerance ?? 0, 3)})` : ''}.`;
  }
}

function render(): void {
  if (!set || !file) return;
  const t0 = performance.now();
  const paired = set.hasLrc && set.hasMse;
  for (const [f, b] of filterButtons) {
    b.textContent = `${FILTER_LABELS[f]} (${set.counts[f]})`;
    b.setAttribute('aria-checked', String(state.filter === f));
    b.disabled = !paired && PAIRED_FILTERS.includes(f);
    b.title = b.disabled ? 'needs both students: open the paired analysis file (LRC + MSE)' : filterDescription(f, set);
  }
  const filter = !paired && PAIRED_FILTERS.includes(state.filter) ? 'all' : state.filter;
  filterNote.textContent = filterDescription(filter, set) + (paired ? '' : ' This file holds one student: the filters that compare both need the paired analysis.');
  const result = queryCases(set, { ...state, filter });
  pageRows = result.rows;
  if (result.page !== state.page) state = { ...state, page: result.page };
  table.render(set, result.rows, file.labelNames, state.sort, state.selectedId);
  pageLabel.textContent = result.total === 0 ? 'no cases' : `${result.start + 1}–${result.end} of ${result.total} (page ${result.page + 1} of ${result.pageCount})`;
  setDisabled(prevButton, result.page === 0);
  setDisabled(nextButton, result.page >= result.pageCount - 1);
  timings.renderMs = performance.now() - t0;
  root.dataset.renderMs = timings.renderMs.toFixed(2);
  pendingPaint = timeToPaint(t0).then((ms) => {
    timings.renderPaintMs = ms;
    root.dataset.renderPaintMs = ms.toFixed(2);
    return ms;
  });
  renderDetail();
}

function selected(): DerivedCase | undefined {
  return set?.cases.find((c) => c.record.id === state.selectedId);
}

function select(id: string, focus = false): void {
  state = { ...state, selectedId: id };
  host.setState(state);
  table.markSelected(id, focus);
  renderDetail();
}

function renderDetail(): void {
  renderCaseDetail(detail, selected(), file, layerMeans);
}

// ---- messages ------------------------------------------------------------------------------------

function focusCase(id: string): void {
  if (!set) return;
  const c = set.cases.find((x) => x.record.id === id);
  if (!c) {
    message.textContent = `Case ${id} is not in this file.`;
    return;
  }
  state = { ...state, filter: 'all', search: '', selectedId: id };
  searchInput.value = '';
  const all = queryCases(set, { ...state, page: 0, pageSize: Number.MAX_SAFE_INTEGER }).matching;
  const at = all.findIndex((x) => x.record.id === id);
  update({ page: Math.floor(at / state.pageSize) });
  table.markSelected(id, true);
}

function onLoad(t0: number, load: { file: CasesFileView; files: AnalysisFileChoice[]; focusCaseId?: string }): void {
  file = load.file;
  files = load.files;
  set = deriveCases(file);
  layerMeans = perLayerMeans(set);
  const sameFile = state.file?.runId === file.runId && state.file?.step === file.step;
  state = { ...state, file: { runId: file.runId, step: file.step }, ...(sameFile ? {} : { page: 0 }) };
  if (state.selectedId && !set.cases.some((c) => c.record.id === state.selectedId)) state = { ...state, selectedId: undefined };
  host.setState(state);
  title.textContent = `Case analysis: ${file.runName}`;
  const students = [file.mapping.lrc && 'LRC student', file.mapping.mse && 'MSE baseline'].filter(Boolean).join(' and ');
  subtitle.textContent = `Step ${file.step} (stage ${file.stage}) of run ${file.runId}: ${file.cases.length} cases of ${file.examples} evaluation examples; ${students}.`;
  message.textContent = '';
  renderFiles();
  render();
  if (load.focusCaseId) focusCase(load.focusCaseId);
  timings.cases = file.cases.length;
  timings.loadMs = performance.now() - t0;
  root.dataset.cases = String(file.cases.length);
  root.dataset.loadMs = timings.loadMs.toFixed(2);
  void timeToPaint(t0).then((ms) => {
    timings.loadPaintMs = ms;
    root.dataset.loadPaintMs = ms.toFixed(2);
  });
}

function snapshot(): Record<string, unknown> {
  const visible = pageRows.map((c) => c.record.id);
  return {
    runId,
    file: file && { runId: file.runId, step: file.step, cases: file.cases.length },
    files,
    state,
    counts: set?.counts,
    smallMseThreshold: set?.smallMseThreshold,
    visible,
    pageLabel: pageLabel.textContent,
    selected: selected()?.record,
    charts: [...detail.querySelectorAll('canvas')].map((c) => ({ id: c.id, width: c.width, height: c.height })),
    timings,
  };
}

async function settle(): Promise<void> {
  if (searchTimer !== undefined) await new Promise((r) => setTimeout(r, 160));
  await pendingPaint;
}

host.onMessage((msg) => {
  const t0 = performance.now();
  if (DidLoadCasesNotification.is(msg)) {
    if (msg.params.runId === runId) onLoad(t0, msg.params);
  } else if (DidChangeFilesNotification.is(msg)) {
    if (msg.params.runId === runId) {
      files = msg.params.files;
      renderFiles();
    }
  } else if (DidFocusCaseNotification.is(msg)) {
    focusCase(msg.params.caseId);
  } else if (DidFailNotification.is(msg)) {
    message.textContent = msg.params.message;
    message.className = 'message error';
  } else if (CasesProbe.request.is(msg)) {
    void runProbe(root, msg.params, settle, snapshot).then((result) => host.post(CasesProbe.result.create(result)));
  } else {
    console.warn('cases: ignored a message that fits no declared type', msg);
  }
});

if (!runId) message.textContent = 'No run: open the case analysis with "LRC: Open Case Analysis".';
else {
  host.setState(state);
  host.post(ReadyNotification.create({}));
}
renderDetail();

