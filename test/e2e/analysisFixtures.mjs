// Runs for the analysis views' tests, shared by the vscode and e2e tiers (the vscode tier runs this file
// as a script): a tiny real run set made with the CLI (a teacher, an LRC student and its MSE baseline
// on a tiny TSV task, with analysis files at every evaluation and the paired analysis at the end),
// and a synthetic LRC run whose one analysis file holds 5,000 cases and 13 x 25 grids (for timing).
//   node test/e2e/analysisFixtures.mjs tiny <workspace> <runsDir>       prints { teacherId, lrcId, mseId, train, dev }
//   node test/e2e/analysisFixtures.mjs synthetic <runsDir> [cases]      prints { runId, dir, file }
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = join(root, 'dist', 'cli.js');

/** A seeded generator (mulberry32): the same files on every run. */
export function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const GOOD = ['good', 'great', 'fine', 'nice'];
const BAD = ['bad', 'awful', 'poor', 'sad'];
const FILLER = ['the', 'movie', 'was', 'a', 'plot', 'actor', 'scene', 'really', 'quite', 'story', 'and', 'it'];

/** train.tsv and dev.tsv (sentence, label) in `dir`: positive when a "good" word is in the sentence. */
export function writeTinyTask(dir, { train = 40, dev = 24, seed = 3 } = {}) {
  const r = seeded(seed);
  const pick = (list) => list[Math.floor(r() * list.length)];
  const sentence = (positive) => {
    const words = Array.from({ length: 3 + Math.floor(r() * 5) }, () => pick(FILLER));
    words.splice(Math.floor(r() * words.length), 0, pick(positive ? GOOD : BAD));
    return words.join(' ');
  };
  const write = (name, n) => {
    const rows = Array.from({ length: n }, (_, i) => `${sentence(i % 2 === 0)}\t${i % 2 === 0 ? 'pos' : 'neg'}`);
    writeFileSync(join(dir, name), `sentence\tlabel\n${rows.join('\n')}\n`);
    return join(dir, name);
  };
  return { train: write('train.tsv', train), dev: write('dev.tsv', dev) };
}

function cli(args, cwd) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
  if (r.status !== 0) throw new Error(`lrc-distill ${args[0]} failed (exit ${r.status}):\n${r.stderr}\n${r.stdout}`);
  return r.stdout;
}

/** The tiny run set: a teacher, then an LRC student with its MSE baseline (a few seconds on 2 cores). */
export function makeTinyRuns(workspace, runsDir) {
  mkdirSync(workspace, { recursive: true });
  const files = writeTinyTask(workspace);
  const task = ['--task', 'file', '--train', 'train.tsv', '--dev', 'dev.tsv', '--text-column', 'sentence', '--label-column', 'label',
    '--max-length', '16', '--batch-size', '8', '--eval-every', '2', '--epochs', '2', '--plain', '--backend', 'wasm', '--runs', runsDir];
  const teacherOut = cli(['train-teacher', ...task, '--layers', '2', '--hidden', '16', '--heads', '2', '--ffn', '32', '--lr', '0.003', '--name', 'analysis teacher'], workspace);
  const teacherId = /teacher run (\S+): finished/.exec(teacherOut)?.[1];
  if (!teacherId) throw new Error(`no teacher run id in:\n${teacherOut}`);
  const out = cli(['distill', '--teacher', teacherId, '--baseline', ...task, '--layers', '2', '--hidden', '8', '--heads', '2', '--ffn', '16', '--lr', '0.003', '--name', 'analysis lrc'], workspace);
  const lrcId = /lrc run (\S+): finished/.exec(out)?.[1];
  const mseId = /mse run (\S+): finished/.exec(out)?.[1];
  if (!lrcId || !mseId) throw new Error(`no lrc/mse run ids in:\n${out}`);
  return { teacherId, lrcId, mseId, ...files };
}

const round5 = (v) => Number(v.toPrecision(5));

/** JSON laid out as the trainer writes analysis files: plain arrays on one line, one case per line, cases last. */
function layout(value, indent = '') {
  const plain = (v) => v === null || typeof v !== 'object';
  if (plain(value)) return JSON.stringify(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.every(plain)) return JSON.stringify(value);
    return `[\n${value.map((v) => inner + layout(v, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  if (entries.every(([, v]) => plain(v))) return JSON.stringify(value);
  const line = ([k, v]) => `${inner}${JSON.stringify(k)}: ${k === 'cases' ? `[\n${v.map((c) => `${inner}  ${JSON.stringify(c)}`).join(',\n')}\n${inner}]` : layout(v, inner)}`;
  return `{\n${entries.map(line).join(',\n')}\n${indent}}`;
}

/**
 * A finished LRC run (no training behind it) whose analysis file at step 100 holds both students:
 * teacher 24 layers and students 12 layers (grids of 13 x 25), `cases` case records of a 3-class task.
 */
export function writeSyntheticRun(runsDir, cases = 5000, seed = 11) {
  const r = seeded(seed);
  const id = `20990101-000000-lrc-5${String(cases).padStart(5, '0')}`;
  const dir = join(runsDir, id);
  mkdirSync(join(dir, 'analysis'), { recursive: true });
  mkdirSync(join(dir, 'checkpoints'), { recursive: true });
  const now = new Date('2099-01-01T00:00:00Z').toISOString();
  writeFileSync(join(dir, 'run.json'), JSON.stringify({
    formatVersion: 1, id, name: `synthetic ${cases} cases`, kind: 'lrc', status: 'finished', createdAt: now, startedAt: now, endedAt: now,
    progress: { step: 100, totalSteps: 100, epoch: 1, stage: 2 }, config: { kind: 'lrc', data: { task: 'demo' } },
  }, null, 2));
  const T = 24;
  const M = 12;
  const labelNames = ['negative', 'neutral', 'positive'];
  const mapping = Array.from({ length: M }, (_, k) => ({ student: k + 1, teacher: 2 * (k + 1) }));
  const grid = (base) => Array.from({ length: M + 1 }, (_, i) => Array.from({ length: T + 1 }, (_, j) => round5(Math.min(1.99, base + Math.abs(2 * i - j) * 0.05 + r() * 0.05))));
  const student = (base, mseBase) => ({
    layers: M, hidden: 312, mapping, rows: Array.from({ length: M + 1 }, () => ({ projection: 0 })),
    grid: { angular: grid(base), mse: grid(mseBase).map((row) => row.map((v) => round5(v / 10))) },
  });
  const probs = (prediction) => {
    const p = [r(), r(), r()];
    p[prediction] += 2;
    const s = p[0] + p[1] + p[2];
    return p.map((v) => round5(v / s));
  };
  const words = ['movie', 'plot', 'actor', 'scene', 'story', 'music', 'ending', 'cast', 'pace', 'script'];
  const records = Array.from({ length: cases }, (_, n) => {
    const label = Math.floor(r() * 3);
    const other = (l) => (l + 1 + Math.floor(r() * 2)) % 3;
    const teacher = r() < 0.9 ? label : other(label);
    const lrc = r() < 0.85 ? label : other(label);
    const mse = r() < 0.75 ? label : other(label);
    const studentCase = (prediction, a, m) => ({ prediction, probabilities: probs(prediction), angular: mapping.map(() => round5(a + r() * 0.4)), mse: mapping.map(() => round5(m + r() * 0.05)) });
    return {
      id: String(n + 2),
      text: `example ${n + 2}: the ${words[n % 10]} was ${['bad', 'fine', 'good'][label]} and the ${words[(n * 7) % 10]} ${r() < 0.5 ? 'too' : 'not really'}`,
      label,
      teacher: { prediction: teacher, probabilities: probs(teacher) },
      lrc: studentCase(lrc, 0.2, 0.01),
      mse: studentCase(mse, 0.5, 0.005),
    };
  });
  const file = {
    format: 'lrc-distill-analysis', version: 1, step: 100, stage: 2, createdAt: now, run: 'lrc',
    task: { kind: 'classification', labelNames },
    settings: { vectorize: 'flatten', angularEps: 1e-6, unprojected: 'nearest', maxTextChars: 200 },
    counts: { examples: cases, cases },
    teacher: { layers: T, hidden: 768 },
    students: { lrc: student(0.3, 0.2), mse: student(0.6, 0.1) },
    cases: records,
  };
  const path = join(dir, 'analysis', 'step-000100.json');
  writeFileSync(path, `${layout(file)}\n`);
  return { runId: id, dir, file: path };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [what, ...rest] = process.argv.slice(2);
  if (what === 'tiny') console.log(JSON.stringify(makeTinyRuns(rest[0], rest[1])));
  else if (what === 'synthetic') console.log(JSON.stringify(writeSyntheticRun(rest[0], Number(rest[1] ?? 5000))));
  else {
    console.error('usage: analysisFixtures.mjs tiny <workspace> <runsDir> | synthetic <runsDir> [cases]');
    process.exit(2);
  }
}
