// Prints the results tables (markdown) of one results folder: its `eval --json` outputs (<run id>.json)
// and, for each, the run's record: name, kind, times, steps, dev evaluations and parameter counts.
// Records are committed in experiments/records/<run id>.json; a run whose record is missing gets one
// written from its run folder (experiments/runs/<id>: run.json, metrics.jsonl, export/model.safetensors),
// so the tables can be made again from a clone without the (git-ignored) run folders.
// Usage: node experiments/summarize.mjs [--results DIR] [TASK ...]
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const RUNS = 'experiments/runs';
const RECORDS = 'experiments/records';
const args = process.argv.slice(2);
const at = args.indexOf('--results');
const RESULTS = at >= 0 ? args[at + 1] : 'experiments/results';
const taskArgs = at >= 0 ? args.filter((_, i) => i !== at && i !== at + 1) : args;

/** Parameters in a safetensors file: total, and the word-embedding matrix alone. */
function parameters(file) {
  const buf = readFileSync(file);
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

/** The part of a run folder the tables use, as a small JSON record. */
function recordFromRunFolder(id) {
  const dir = join(RUNS, id);
  const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
  const evals = readFileSync(join(dir, 'metrics.jsonl'), 'utf8').split('\n').filter((l) => l.includes('"type":"eval"')).map((l) => JSON.parse(l));
  return {
    id,
    name: run.name,
    kind: run.kind,
    preset: run.preset,
    data: run.config.data.task === 'glue' ? { task: 'glue', name: run.config.data.name } : { task: run.config.data.task },
    split: run.config.stages?.split ?? 0.8,
    epsilon: run.config.stages?.epsilon,
    maxTrainExamples: run.config.maxTrainExamples,
    seed: run.config.seed,
    startedAt: run.startedAt,
    endedAt: run.endedAt,
    totalSteps: run.progress.totalSteps,
    best: run.best,
    evals: evals.map((e) => ({ step: e.step, metrics: e.metrics, ...(e.candidate === false ? { candidate: false } : {}) })),
    parameters: parameters(join(dir, 'export', 'model.safetensors')),
  };
}

function recordOf(id) {
  const file = join(RECORDS, `${id}.json`);
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
  if (!existsSync(join(RUNS, id, 'run.json'))) return undefined;
  const record = recordFromRunFolder(id);
  mkdirSync(RECORDS, { recursive: true });
  writeFileSync(`${file}.tmp`, JSON.stringify(record, null, 1) + '\n');
  renameSync(`${file}.tmp`, file);
  return record;
}

const rows = [];
const missing = [];
for (const f of existsSync(RESULTS) ? readdirSync(RESULTS).filter((f) => f.endsWith('.json')).sort() : []) {
  const r = JSON.parse(readFileSync(join(RESULTS, f), 'utf8'));
  const id = f.replace(/\.json$/, '');
  const run = recordOf(id);
  if (!run) { missing.push(id); continue; }
  // GLUE runs by task name; the bundled SpamAssassin task (`--task demo`) has none.
  const task = run.data.task === 'demo' ? 'SpamAssassin' : run.data.name;
  const seconds = run.startedAt && run.endedAt ? (Date.parse(run.endedAt) - Date.parse(run.startedAt)) / 1000 : NaN; // none for records rebuilt from logs
  // The last dev evaluation of the run (its final step): the exported model is the best evaluation.
  const lastEval = run.evals.length ? run.evals[run.evals.length - 1] : undefined;
  const twoStages = (run.kind === 'lrc' || run.kind === 'mse') && !['no-cosnce', 'single-stage'].includes(run.preset);
  const stage1End = twoStages ? Math.round(run.split * run.totalSteps) : undefined;
  rows.push({ id, task, name: run.name, last: lastEval?.metrics?.[r.primary], bestStage: stage1End === undefined || run.best?.step === undefined ? '' : run.best.step <= stage1End ? ' (stage 1)' : '', kind: run.kind + (run.preset ? `/${run.preset}` : ''), preset: run.preset, metrics: r.metrics, primary: r.primary, examples: r.examples, evalSeconds: r.seconds, seconds, params: run.parameters, steps: run.totalSteps, bestStep: run.best?.step });
}
if (missing.length) console.error(`no record and no run folder for ${missing.length} result(s) in ${RESULTS}, left out: ${missing.join(', ')}`);

const ORDER = ['SST-2', 'MRPC', 'CoLA', 'RTE', 'STS-B', 'SpamAssassin'];
const rank = (t) => (ORDER.includes(t) ? ORDER.indexOf(t) : ORDER.length);
const tasks = taskArgs.length ? taskArgs : [...new Set(rows.map((r) => r.task))].sort((a, b) => rank(a) - rank(b));
const fmt = (n) => (n / 1e6).toFixed(2) + 'M';
// A metric can be null in `eval --json`: a correlation of constant predictions is undefined (NaN).
const num = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : NaN);
const show = (v, digits = 4) => (Number.isNaN(num(v)) ? 'n/a' : num(v).toFixed(digits));
const meanSd = (vs) => {
  const mean = vs.reduce((a, b) => a + b, 0) / vs.length;
  const sd = vs.length > 1 ? Math.sqrt(vs.reduce((a, b) => a + (b - mean) ** 2, 0) / (vs.length - 1)) : NaN;
  return { mean, sd };
};
const meanSdText = (vs, digits = 4) => {
  const clean = vs.filter((x) => !Number.isNaN(x));
  if (!clean.length) return 'n/a';
  const { mean, sd } = meanSd(clean);
  return Number.isNaN(sd) ? show(mean, digits) : `${show(mean, digits)} ± ${sd.toFixed(digits)}`;
};
const seedOf = (name) => /seed (\d+)/.exec(name)?.[1] ?? '-';
const bySeed = (a, b) => Number(seedOf(a.name)) - Number(seedOf(b.name));
// The teacher the students learnt from: the scripts' from-scratch "<task> teacher <shape>", else any.
const teacherOf = (own) => own.find((r) => r.kind === 'teacher' && /^\S+ teacher \S+$/.test(r.name)) ?? own.find((r) => r.kind === 'teacher');
// The main configurations: "<prefix> LRC <shape> seed N" (no preset), its "(MSE baseline)", "... alone ...".
const isMainLrc = (r) => r.kind === "lrc" && !r.preset && / LRC .+ seed \d+$/.test(r.name);

for (const task of tasks) {
  const own = rows.filter((r) => r.task === task).sort((a, b) => (a.kind === 'teacher' ? -1 : b.kind === 'teacher' ? 1 : a.name.localeCompare(b.name)));
  const teacher = teacherOf(own);
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
    console.log(`| ${r.name} | ${r.kind} | ${keys.map((k) => show(r.metrics[k])).join(' | ')} | ${kept} | ${fmt(r.params.total)} (${fmt(r.params.word)} / ${fmt(r.params.total - r.params.word)}) | ${eps.toFixed(0)} | ${(eps / tEps).toFixed(1)}x | ${r.bestStep}${r.bestStage} / ${r.steps} | ${show(r.last)} | ${Number.isNaN(r.seconds) ? '-' : `${(r.seconds / 60).toFixed(1)} min`} |`);
  }
}

// Across seeds: each configuration (its name without "seed N") as mean ± sample standard deviation.
console.log('\n### Across seeds (primary metric: mean ± standard deviation over seeds)\n');
console.log('| task | configuration | seeds | primary metric | mean | sd | per seed |');
console.log('|---|---|---:|---|---:|---:|---|');
for (const task of tasks) {
  const groups = new Map();
  for (const r of rows.filter((x) => x.task === task)) {
    const key = r.name.replace(/ seed \d+/, '');
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push({ seed: seedOf(r.name), v: num(r.metrics[r.primary]), primary: r.primary });
  }
  for (const [key, g] of groups) {
    const { mean, sd } = meanSd(g.map((x) => x.v));
    g.sort((a, b) => Number(a.seed) - Number(b.seed));
    console.log(`| ${task} | ${key} | ${g.length} | ${g[0].primary} | ${show(mean)} | ${Number.isNaN(sd) ? '-' : sd.toFixed(4)} | ${g.map((x) => `${x.seed}: ${show(x.v)}`).join(', ')} |`);
  }
}

// LRC against its paired MSE baseline, seed by seed, with the student alone and the teacher (primary
// metric), for the exported model and at the last step. Only the main configurations; ablations and
// diagnostics are left out.
function seedLines(task, value) {
  const own = rows.filter((r) => r.task === task);
  const teacher = teacherOf(own);
  const lrc = own.filter(isMainLrc).sort(bySeed);
  const primary = lrc[0]?.primary;
  const v = (r) => (r ? num(value(r, primary)) : NaN);
  const lines = lrc.map((l) => {
    const seed = seedOf(l.name);
    const mse = own.find((r) => r.name === `${l.name} (MSE baseline)`);
    const alone = own.find((r) => r.kind === 'student' && seedOf(r.name) === seed && / alone /.test(r.name));
    return { seed, lrc: v(l), mse: v(mse), alone: v(alone) };
  });
  return { primary, lines, teacher: v(teacher) };
}
const points = (lines, f) => lines.map(f).filter((x) => !Number.isNaN(x));
/** Mean ± sd of differences in points (the LRC - MSE gap, a preset's gap to the full method). */
const pointsText = (diffs) => (points(diffs, (x) => x).length ? `${meanSdText(diffs, 2)} pt` : 'n/a');
const gapText = (lines) => pointsText(lines.map((x) => 100 * (x.lrc - x.mse)));
const exported = (r, p) => r.metrics[p];
const atLastStep = (r) => r.last;

function seedTable(title, value) {
  console.log(`\n### ${title}\n`);
  console.log('| task | metric | seed | LRC | MSE baseline | LRC - MSE | student alone | teacher |');
  console.log('|---|---|---:|---:|---:|---:|---:|---:|');
  for (const task of tasks) {
    const { primary, lines, teacher } = seedLines(task, value);
    if (!lines.length) continue;
    for (const x of lines) console.log(`| ${task} | ${primary} | ${x.seed} | ${show(x.lrc)} | ${show(x.mse)} | ${show(100 * (x.lrc - x.mse), 2)} pt | ${show(x.alone)} | ${show(teacher)} |`);
    console.log(`| ${task} | ${primary} | mean ± sd (${lines.length}) | ${meanSdText(lines.map((x) => x.lrc))} | ${meanSdText(lines.map((x) => x.mse))} | **${gapText(lines)}** | ${meanSdText(lines.map((x) => x.alone))} | ${show(teacher)} |`);
  }
}

// One row per task: the means over seeds, the LRC - MSE gap for the exported model and at the last
// step, on how many seeds LRC is ahead, and the teacher's lead over the student alone.
console.log('\n### Per task (mean ± sd over seeds; gaps in points of the metric)\n');
console.log('| task | metric | seeds | teacher | LRC | MSE baseline | student alone | LRC - MSE | LRC ahead on | LRC - MSE at the last step | teacher - student alone |');
console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const task of tasks) {
  const { primary, lines, teacher } = seedLines(task, exported);
  if (!lines.length) continue;
  const last = seedLines(task, atLastStep).lines;
  const ahead = lines.filter((x) => x.lrc > x.mse).length;
  const alone = points(lines, (x) => x.alone);
  const lead = alone.length ? `${show(100 * (teacher - meanSd(alone).mean), 2)} pt` : 'n/a';
  console.log(`| ${task} | ${primary} | ${lines.map((x) => x.seed).join(', ')} | ${show(teacher)} | ${meanSdText(lines.map((x) => x.lrc))} | ${meanSdText(lines.map((x) => x.mse))} | ${meanSdText(lines.map((x) => x.alone))} | ${gapText(lines)} | ${ahead} of ${lines.length} | ${gapText(last)} | ${lead} |`);
}
seedTable('LRC vs MSE, seed by seed (primary metric of the exported model: the best dev evaluation)', exported);
seedTable('The same at the last step (the last dev evaluation of each run)', atLastStep);

// Ablations: each preset seed by seed next to the full method of the same seed, and the mean of the
// paired differences (preset - full) in points.
const PRESETS = ['no-cosnce', 'no-soft', 'no-hard', 'no-perturbation', 'single-stage'];
for (const task of tasks) {
  const own = rows.filter((r) => r.task === task);
  const presets = PRESETS.filter((p) => own.some((r) => r.preset === p));
  if (!presets.length) continue;
  const full = own.filter(isMainLrc);
  const seeds = [...new Set(full.map((r) => seedOf(r.name)))].sort((a, b) => Number(a) - Number(b));
  const primary = full[0]?.primary ?? own[0].primary;
  console.log(`\n### Ablations on ${task} (${primary} of the exported model; last column: preset - full method, same seed)\n`);
  console.log(`| preset | ${seeds.map((s) => `seed ${s}`).join(' | ')} | mean ± sd | preset - full, mean ± sd |`);
  console.log(`|---|${seeds.map(() => '---:').join('|')}|---:|---:|`);
  const fullOf = (seed) => full.find((r) => seedOf(r.name) === seed);
  const line = (label, pick) => {
    const runs = seeds.map(pick);
    const vs = runs.map((r) => (r ? num(r.metrics[primary]) : NaN));
    const diffs = seeds.map((s, i) => { const f = fullOf(s); return f ? 100 * (vs[i] - num(f.metrics[primary])) : NaN; });
    const diffText = label === 'full LRC' ? '-' : pointsText(diffs);
    console.log(`| ${label} | ${vs.map((v, i) => (runs[i] ? show(v) : '-')).join(' | ')} | ${meanSdText(vs)} | ${diffText} |`);
  };
  line('full LRC', fullOf);
  for (const p of presets) line(p, (s) => own.find((r) => r.preset === p && seedOf(r.name) === s && r.name.endsWith(`${p} seed ${s}`)));
}
