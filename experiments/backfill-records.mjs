// One-off: records (experiments/records/<id>.json, the input of summarize.mjs) for the runs of
// 2026-11-25, whose run folders were not kept, rebuilt from what was committed of them: the training
// logs (as of commit e31c282, before later runs overwrote the teacher logs) and the experiment scripts'
// naming. What a log does not hold is left out: the train time (null) and the stage-1 flag of an
// evaluation; metrics at the last step have the log's 4 decimals. Parameter counts follow from the
// shapes (bert-base-uncased vocabulary, 512 positions). Records marked "source": "log".
// Usage: node experiments/backfill-records.mjs
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const COMMIT = 'e31c282';
const RECORDS = 'experiments/records';
const TASKS = { sst2: ['glue', 'SST-2'], mrpc: ['glue', 'MRPC'], cola: ['glue', 'CoLA'], rte: ['glue', 'RTE'], stsb: ['glue', 'STS-B'], spam: ['demo', 'Spam'] };
const SHAPES = { teacher: { layers: 4, hidden: 128, ffn: 512 }, student: { layers: 2, hidden: 24, ffn: 96 } };
const PRESETS = ['no-cosnce', 'no-soft', 'no-hard', 'no-perturbation', 'single-stage'];

/** BertForSequenceClassification parameters: total and word embedding. */
function parameters({ layers, hidden: h, ffn }, labels, vocab = 30522, positions = 512) {
  const word = vocab * h;
  const embeddings = word + positions * h + 2 * h + 2 * h;
  const layer = 4 * (h * h + h) + 2 * h + (h * ffn + ffn) + (ffn * h + h) + 2 * h;
  return { total: embeddings + layers * layer + (h * h + h) + (h * labels + labels), word };
}

/** Run names of one log file, by run kind, as the scripts named them. */
function namesOf(file) {
  const m = /^(sst2|mrpc|cola|rte|stsb|spam)-(.+?)(?:-s(\d+))?\.log$/.exec(file);
  if (!m) return undefined;
  const [, key, what, seed] = m;
  const T = TASKS[key][1];
  if (what === 'teacher') return { teacher: `${T} teacher 4x128` };
  if (what === 'lrc') return { lrc: `${T} LRC 2x24 seed ${seed}`, mse: `${T} LRC 2x24 seed ${seed} (MSE baseline)` };
  if (what === 'alone') return { student: `${T} alone 2x24 seed ${seed}` };
  if (what === '2k-lrc') return { lrc: `${T} LRC 2x24 2k labels seed ${seed}`, mse: `${T} LRC 2x24 2k labels seed ${seed} (MSE baseline)` };
  if (what === '2k-alone') return { student: `${T} alone 2x24 2k labels seed ${seed}` };
  if (PRESETS.includes(what)) return { lrc: `${T} LRC 2x24 ${what} seed ${seed}`, preset: what };
  const diag = /^diag-no-cosnce-eps(\d+)$/.exec(what);
  if (diag) return { lrc: `${T} diag no-cosnce epsilon ${diag[1]} 5k`, preset: 'no-cosnce' };
  return undefined; // the pre-training logs: not in the tables
}

const resultIds = new Set(['results', 'results-lowlabel'].flatMap((d) => (existsSync(`experiments/${d}`) ? readdirSync(`experiments/${d}`) : []).map((f) => f.replace(/\.json$/, ''))));
const logs = execFileSync('git', ['ls-tree', '--name-only', COMMIT, 'experiments/logs/'], { encoding: 'utf8' }).split('\n').filter((f) => f.endsWith('.log'));
mkdirSync(RECORDS, { recursive: true });
let written = 0;
for (const path of logs) {
  const file = path.split('/').pop();
  const names = namesOf(file);
  if (!names) continue;
  const [dataTask, T] = TASKS[file.split('-')[0]];
  const text = execFileSync('git', ['show', `${COMMIT}:${path}`], { encoding: 'utf8', maxBuffer: 64 << 20 });
  for (const [, short, kind, id, steps] of text.matchAll(/^(\S+): (\w+) run (\S+): \d+ training examples, (\d+) steps/gm)) {
    if (!resultIds.has(id) || existsSync(join('experiments/runs', id)) || existsSync(join(RECORDS, `${id}.json`))) continue;
    const name = names[kind];
    if (!name) throw new Error(`${file}: no name for the ${kind} run ${id}`);
    const evals = [...text.matchAll(new RegExp(`^${short}: eval at step (\\d+): (.+?)(?: \\(best\\))?$`, 'gm'))].map(([, step, list]) => ({
      step: Number(step),
      metrics: Object.fromEntries(list.split(', ').map((kv) => { const [k, v] = kv.split(' '); return [k, Number(v)]; })),
    }));
    const best = new RegExp(`^${kind} run ${id}: finished, best (\\S+) (\\S+) at step (\\d+)`, 'm').exec(text);
    if (!best) throw new Error(`${file}: no "finished, best" line for ${id}`);
    const regression = T === 'STS-B';
    const record = {
      id, name, kind, preset: names.preset, source: 'log', log: path,
      data: dataTask === 'glue' ? { task: 'glue', name: T } : { task: 'demo' },
      split: 0.8, seed: /seed (\d+)/.exec(name) ? Number(/seed (\d+)/.exec(name)[1]) : undefined,
      startedAt: null, endedAt: null, totalSteps: Number(steps),
      best: { metric: best[1], value: Number(best[2]), step: Number(best[3]) },
      evals,
      parameters: parameters(kind === 'teacher' ? SHAPES.teacher : SHAPES.student, regression ? 1 : 2),
    };
    const out = join(RECORDS, `${id}.json`);
    writeFileSync(`${out}.tmp`, JSON.stringify(record, null, 1) + '\n');
    renameSync(`${out}.tmp`, out);
    written++;
  }
}
console.log(`${written} records written to ${RECORDS}`);
