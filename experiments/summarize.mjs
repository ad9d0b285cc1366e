// Prints the results tables (markdown) from experiments/results/<run id>.json (`eval --json`),
// the run records (experiments/runs/<id>/run.json: times, config) and each exported model's
// safetensors header (parameter counts). Usage: node experiments/summarize.mjs [TASK ...]
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const RUNS = 'experiments/runs';
const RESULTS = 'experiments/results';

/** Parameters in a safetensors file: total, and the word-embedding matrix alone. */
function parameters(folder) {
  const buf = readFileSync(join(folder, 'model.safetensors'));
  const n = Number(buf.readBigUInt64LE(0));
  const header = JSON.parse(buf.subarray(8, 8 + n).toString('utf8'));
  let total = 0, word = 0;
  for (const [name, t] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const size = t.shape.reduce((a, b) => a * b, 1);
    total += size;
    if (name.includes('word_embeddings')) word += size;
  }
  return { total, word };
}

const rows = [];
for (const f of existsSync(RESULTS) ? readdirSync(RESULTS) : []) {
  const r = JSON.parse(readFileSync(join(RESULTS, f), 'utf8'));
  const id = f.replace(/\.json$/, '');
  const run = JSON.parse(readFileSync(join(RUNS, id, 'run.json'), 'utf8'));
  // GLUE runs by task name; the bundled SpamAssassin task (`--task demo`) has none.
  const task = run.config.data.task === 'demo' ? 'SpamAssassin' : run.config.data.name;
  const seconds = (Date.parse(run.endedAt) - Date.parse(run.startedAt)) / 1000;
  // The last dev evaluation of the run (its final step), from metrics.jsonl: the exported model is the
  // best evaluation, which for a distilled student can be a stage-1 one (prediction layer not trained).
  const evals = readFileSync(join(RUNS, id, 'metrics.jsonl'), 'utf8').split('\n').filter((l) => l.includes('"type":"eval"')).map((l) => JSON.parse(l));
  const lastEval = evals.length ? evals[evals.length - 1] : undefined;
  const twoStages = (run.kind === 'lrc' || run.kind === 'mse') && !['no-cosnce', 'single-stage'].includes(run.preset);
  const stage1End = twoStages ? Math.round((run.config.stages?.split ?? 0.8) * run.progress.totalSteps) : undefined;
  rows.push({ id, task, name: run.name, last: lastEval?.metrics?.[r.primary], lastStep: lastEval?.step, bestStage: stage1End === undefined || run.best?.step === undefined ? '' : run.best.step <= stage1End ? ' (stage 1)' : '', kind: run.kind + (run.preset ? `/${run.preset}` : ''), metrics: r.metrics, primary: r.primary, examples: r.examples, evalSeconds: r.seconds, seconds, params: parameters(r.model), steps: run.progress.totalSteps, bestStep: run.best?.step });
}
const ORDER = ['SST-2', 'MRPC', 'CoLA', 'RTE', 'STS-B', 'SpamAssassin'];
const rank = (t) => (ORDER.includes(t) ? ORDER.indexOf(t) : ORDER.length);
const tasks = process.argv.slice(2).length ? process.argv.slice(2) : [...new Set(rows.map((r) => r.task))].sort((a, b) => rank(a) - rank(b));
const fmt = (n) => (n / 1e6).toFixed(2) + 'M';
// A metric can be null in `eval --json`: a correlation of constant predictions is undefined (NaN).
const num = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : NaN);
const show = (v, digits = 4) => (Number.isNaN(num(v)) ? 'n/a' : num(v).toFixed(digits));
const meanSd = (vs) => {
  const mean = vs.reduce((a, b) => a + b, 0) / vs.length;
  const sd = vs.length > 1 ? Math.sqrt(vs.reduce((a, b) => a + (b - mean) ** 2, 0) / (vs.length - 1)) : NaN;
  return { mean, sd };
};
const seedOf = (name) => /seed (\d+)/.exec(name)?.[1] ?? '-';
for (const task of tasks) {
  const own = rows.filter((r) => r.task === task).sort((a, b) => (a.kind === 'teacher' ? -1 : b.kind === 'teacher' ? 1 : a.name.localeCompare(b.name)));
  const teacher = own.find((r) => r.kind === 'teacher' && /^\S+ teacher 4x128$/.test(r.name)) ?? own.find((r) => r.kind === 'teacher'); // the from-scratch teacher of the scripts
  const keys = Object.keys(own[0]?.metrics ?? {});
  const main = own[0]?.primary ?? keys[0];
  console.log(`\n### ${task}\n`);
  console.log(`| run | kind | ${keys.join(' | ')} | kept of teacher (${main}) | parameters (word emb. / rest) | dev examples/s | speed-up | best step / steps | ${main} at the last step | train time |`);
  console.log(`|---|---|${keys.map(() => '---:').join('|')}|---:|---:|---:|---:|---:|---:|---:|`);
  for (const r of own) {
    const eps = r.examples / r.evalSeconds;
    const tEps = teacher ? teacher.examples / teacher.evalSeconds : NaN;
    // A share of the teacher's score only means something when the teacher's score is clearly above 0
    // (not for a Matthews correlation or a Pearson near 0).
    const t = teacher ? num(teacher.metrics[main]) : NaN;
    const kept = t > 0.05 && !Number.isNaN(num(r.metrics[main])) ? `${((100 * num(r.metrics[main])) / t).toFixed(1)}%` : '-';
    console.log(`| ${r.name} | ${r.kind} | ${keys.map((k) => show(r.metrics[k])).join(' | ')} | ${kept} | ${fmt(r.params.total)} (${fmt(r.params.word)} / ${fmt(r.params.total - r.params.word)}) | ${eps.toFixed(0)} | ${(eps / tEps).toFixed(1)}x | ${r.bestStep}${r.bestStage} / ${r.steps} | ${show(r.last)} | ${(r.seconds / 60).toFixed(1)} min |`);
  }
}

// Across seeds: each configuration (its name without "seed N") as mean ± sample standard deviation.
console.log('\n### Across seeds (primary metric: mean ± standard deviation over seeds)\n');
console.log('| task | configuration | seeds | primary metric | mean | sd | per seed |');
console.log('|---|---|---:|---|---:|---:|---|');
for (const task of tasks) {
  const groups = new Map();
  for (const r of rows.filter((x) => x.task === task)) {
    const seed = seedOf(r.name);
    const key = r.name.replace(/ seed \d+/, '');
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push({ seed, v: num(r.metrics[r.primary]), primary: r.primary });
  }
  for (const [key, g] of groups) {
    const { mean, sd } = meanSd(g.map((x) => x.v));
    g.sort((a, b) => Number(a.seed) - Number(b.seed));
    console.log(`| ${task} | ${key} | ${g.length} | ${g[0].primary} | ${show(mean)} | ${Number.isNaN(sd) ? '-' : sd.toFixed(4)} | ${g.map((x) => `${x.seed}: ${show(x.v)}`).join(', ')} |`);
  }
}

// LRC against its paired MSE baseline, seed by seed, with the student alone and the teacher (primary
// metric). Only the main configurations ("<task> LRC 2x24 seed N", its "(MSE baseline)", "<task> alone
// 2x24 seed N"); ablations and diagnostics are left out.
function seedTable(title, value) {
console.log(`\n### ${title}\n`);
console.log('| task | metric | seed | LRC | MSE baseline | LRC - MSE | student alone | teacher |');
console.log('|---|---|---:|---:|---:|---:|---:|---:|');
for (const task of tasks) {
  const own = rows.filter((r) => r.task === task);
  const teacher = own.find((r) => r.kind === 'teacher' && /^\S+ teacher 4x128$/.test(r.name)) ?? own.find((r) => r.kind === 'teacher'); // the from-scratch teacher of the scripts
  const lrc = own.filter((r) => r.kind === 'lrc' && /^\S+ LRC 2x24 seed \d+$/.test(r.name));
  if (!lrc.length) continue;
  const primary = lrc[0].primary;
  const v = (r) => (r ? num(value(r, primary)) : NaN);
  const lines = [];
  for (const l of lrc.sort((a, b) => Number(seedOf(a.name)) - Number(seedOf(b.name)))) {
    const seed = seedOf(l.name);
    const mse = own.find((r) => r.name === `${l.name} (MSE baseline)`);
    const alone = own.find((r) => r.kind === 'student' && seedOf(r.name) === seed && / alone /.test(r.name));
    lines.push({ seed, lrc: v(l), mse: v(mse), alone: v(alone) });
    console.log(`| ${task} | ${primary} | ${seed} | ${show(v(l))} | ${show(v(mse))} | ${show(100 * (v(l) - v(mse)), 2)} pt | ${show(v(alone))} | ${show(v(teacher))} |`);
  }
  const ms = (f) => {
    const vs = lines.map(f).filter((x) => !Number.isNaN(x));
    if (!vs.length) return 'n/a';
    const { mean, sd } = meanSd(vs);
    return Number.isNaN(sd) ? show(mean) : `${show(mean)} ± ${sd.toFixed(4)}`;
  };
  const d = meanSd(lines.map((x) => 100 * (x.lrc - x.mse)).filter((x) => !Number.isNaN(x)));
  console.log(`| ${task} | ${primary} | mean ± sd (${lines.length}) | ${ms((x) => x.lrc)} | ${ms((x) => x.mse)} | **${show(d.mean, 2)} pt**${Number.isNaN(d.sd) ? '' : ` ± ${d.sd.toFixed(2)}`} | ${ms((x) => x.alone)} | ${show(v(teacher))} |`);
}
}
seedTable('LRC vs MSE, seed by seed (primary metric of the exported model: the best dev evaluation)', (r, p) => r.metrics[p]);
seedTable('The same at the last step (the last dev evaluation of each run, from metrics.jsonl)', (r) => r.last);
