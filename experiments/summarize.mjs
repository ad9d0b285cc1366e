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
  const task = run.config.data.name;
  const seconds = (Date.parse(run.endedAt) - Date.parse(run.startedAt)) / 1000;
  rows.push({ id, task, name: run.name, kind: run.kind + (run.preset ? `/${run.preset}` : ''), metrics: r.metrics, primary: r.primary, examples: r.examples, evalSeconds: r.seconds, seconds, params: parameters(r.model), steps: run.progress.totalSteps, bestStep: run.best?.step });
}
const tasks = process.argv.slice(2).length ? process.argv.slice(2) : [...new Set(rows.map((r) => r.task))];
const fmt = (n) => (n / 1e6).toFixed(2) + 'M';
for (const task of tasks) {
  const own = rows.filter((r) => r.task === task).sort((a, b) => (a.kind === 'teacher' ? -1 : b.kind === 'teacher' ? 1 : a.name.localeCompare(b.name)));
  const teacher = own.find((r) => r.kind === 'teacher');
  const keys = Object.keys(own[0]?.metrics ?? {});
  const main = own[0]?.primary ?? keys[0];
  console.log(`\n### ${task}\n`);
  console.log(`| run | kind | ${keys.join(' | ')} | kept of teacher (${main}) | parameters (word emb. / rest) | dev examples/s | speed-up | best step / steps | train time |`);
  console.log(`|---|---|${keys.map(() => '---:').join('|')}|---:|---:|---:|---:|---:|---:|`);
  for (const r of own) {
    const eps = r.examples / r.evalSeconds;
    const tEps = teacher ? teacher.examples / teacher.evalSeconds : NaN;
    const kept = teacher ? `${((100 * r.metrics[main]) / teacher.metrics[main]).toFixed(1)}%` : '-';
    console.log(`| ${r.name} | ${r.kind} | ${keys.map((k) => r.metrics[k]?.toFixed(4) ?? '-').join(' | ')} | ${kept} | ${fmt(r.params.total)} (${fmt(r.params.word)} / ${fmt(r.params.total - r.params.word)}) | ${eps.toFixed(0)} | ${(eps / tEps).toFixed(1)}x | ${r.bestStep} / ${r.steps} | ${(r.seconds / 60).toFixed(1)} min |`);
  }
}

// Across seeds: each configuration (its name without "seed N") as mean ± sample standard deviation.
console.log('\n### Across seeds (primary metric: mean ± standard deviation over seeds)\n');
console.log('| task | configuration | seeds | primary metric | mean | sd | per seed |');
console.log('|---|---|---:|---|---:|---:|---|');
for (const task of tasks) {
  const groups = new Map();
  for (const r of rows.filter((x) => x.task === task)) {
    const seed = /seed (\d+)/.exec(r.name)?.[1] ?? '-';
    const key = r.name.replace(/ seed \d+/, '');
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push({ seed, v: r.metrics[r.primary], primary: r.primary });
  }
  for (const [key, g] of groups) {
    const mean = g.reduce((a, b) => a + b.v, 0) / g.length;
    const sd = g.length > 1 ? Math.sqrt(g.reduce((a, b) => a + (b.v - mean) ** 2, 0) / (g.length - 1)) : NaN;
    g.sort((a, b) => Number(a.seed) - Number(b.seed));
    console.log(`| ${task} | ${key} | ${g.length} | ${g[0].primary} | ${mean.toFixed(4)} | ${Number.isNaN(sd) ? '-' : sd.toFixed(4)} | ${g.map((x) => `${x.seed}: ${x.v.toFixed(4)}`).join(', ')} |`);
  }
}
