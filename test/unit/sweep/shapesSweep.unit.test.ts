// A tiny real sweep over two student shapes (1x16, 2x32) x LRC and MSE, one task, on a pool of 2 workers:
// every teacher and run measures its export when it ends (not quiet: a pool of 2); the report's front has
// the numbers of those serving.json files; `sweep measure` measures them all again in one process
// (quiet, one session); `sweep report --out` writes the SVG chart; `sweep export-recommended` writes the
// recommended cell's best seed; `measure <run>` one run; bad inputs are one line and exit 2.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readSafetensors } from '../../../trainer/checkpoint/safetensors';
import type { FrontReport, ServingCost } from '../../../trainer/sweep/report/frontTypes';
import { tempDir } from '../helpers/tempDir';

const root = join(__dirname, '..', '..', '..');
const TSX = ['--import', pathToFileURL(require.resolve('tsx')).href, join(root, 'trainer', 'cli.ts')];
const cli = (args: string[], cwd: string) => {
  const r = spawnSync(process.execPath, [...TSX, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const fixture = (name: string) => join(root, 'test', 'fixtures', 'sweep', name);

const SWEEP = {
  name: 'shapes-tiny',
  base: {
    backend: 'wasm', maxLength: 16, builtVocabSize: 200,
    optim: { epochs: 2, batchSize: 8, learningRate: 0.003 },
    stages: { split: 0.5, epsilon: 0.1 },
    eval: { everySteps: 12, analysis: false },
    data: { task: 'file', train: fixture('a-train.tsv'), dev: fixture('a-dev.tsv'), columns: { text: 'sentence', label: 'label' } },
  },
  axes: {
    task: { A: {} },
    shape: { '1x16': { student: { layers: 1, hidden: 16, heads: 2, intermediate: 32 } }, '2x32': { student: { layers: 2, hidden: 32, heads: 2, intermediate: 64 } } },
    method: { LRC: { kind: 'lrc' }, MSE: { kind: 'mse' } },
    seed: [1],
  },
  teacher: { config: { model: { layers: 2, hidden: 32, heads: 4, intermediate: 64 } } },
};

const servingOf = (dir: string, id: string) => JSON.parse(readFileSync(join(dir, '.lrc', 'runs', id, 'serving.json'), 'utf8')) as ServingCost;
const frontOf = (dir: string, extra: string[] = []) => {
  const r = cli(['sweep', 'report', 'shapes-tiny', '--format', 'json', ...extra], dir);
  assert.equal(r.code, 0, r.err);
  return (JSON.parse(r.out) as { front: FrontReport }).front;
};

test('a tiny sweep over two shapes: serving costs at the end of every run, the front, sweep measure, the chart, export-recommended', { timeout: 900_000 }, () => {
  const dir = tempDir('lrc-shapes-');
  writeFileSync(join(dir, 'shapes.sweep.json'), JSON.stringify(SWEEP, null, 2));
  const run = cli(['sweep', 'shapes.sweep.json', '--workers', '2'], dir);
  assert.equal(run.code, 0, run.err + run.out);
  assert.match(run.out, /5 finished, 0 failed, 0 not started/);

  // every teacher and run measured its export at its end, in its own process, beside the pool
  const ids = readdirSync(join(dir, '.lrc', 'runs'));
  assert.equal(ids.length, 5);
  for (const id of ids) {
    const c = servingOf(dir, id);
    assert.equal(c.trigger, 'run-end');
    assert.equal(c.quiet, false);
    assert.match(c.beside!, /^ran in a pool of 2 worker processes/);
    assert.equal(c.maxLength, 16);
    assert.ok(c.latency.medianMs > 0 && c.latency.p95Ms >= c.latency.medianMs);
    // measured before the run was marked finished: no reader sees it finished without its serving cost
    const finished = readFileSync(join(dir, '.lrc', 'runs', id, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; status?: string; time?: string }).find((m) => m.type === 'status' && m.status === 'finished');
    assert.ok(finished?.time && Date.parse(c.measuredAt) <= Date.parse(finished.time), `${id}: measured ${c.measuredAt}, finished ${finished?.time}`);
  }

  let front = frontOf(dir);
  assert.equal(front.rule.text, 'fastest-within:1');
  assert.equal(front.tasks.length, 1);
  let task = front.tasks[0];
  assert.equal(task.task, 'A');
  assert.equal(task.shapeAxis, 'shape');
  assert.deepEqual(task.cellAxes, ['shape', 'method']);
  assert.deepEqual(task.cells.map((c) => c.label), ['1x16 · LRC', '1x16 · MSE', '2x32 · LRC', '2x32 · MSE']);
  assert.equal(task.quiet, false);
  assert.ok(task.notes.some((n) => n.includes('measured beside other work')));
  for (const c of task.cells) {
    assert.equal(c.seeds.length, 1);
    assert.equal(c.latencyMs.mean, servingOf(dir, c.seeds[0].runId).latency.medianMs, 'the report is the serving.json of the run');
    assert.equal(c.latencyMs.sd, null, 'one seed: no sd (NaN written as null)');
  }
  assert.equal(task.teacher!.latencyMs, servingOf(dir, task.teacher!.runId).latency.medianMs);
  assert.ok(task.front.length >= 1);
  assert.notEqual(task.recommended, null);
  assert.ok(task.cells[task.recommended!].onFront || task.cells.filter((c) => c.score.mean === task.cells[task.recommended!].score.mean).length > 1);
  // the 2x32 shape has more parameters than 1x16, and its f16 file is about half its f32 file
  assert.ok(task.cells[2].parameters > task.cells[0].parameters);
  assert.ok(task.cells[2].sizeF16Bytes < 0.6 * task.cells[2].sizeF32Bytes);

  // sweep measure: every export again, one after another in this one process
  const measured = cli(['sweep', 'measure', 'shapes-tiny'], dir);
  assert.equal(measured.code, 0, measured.err + measured.out);
  assert.match(measured.out, /measured 5 export\(s\) in [\d.]+ s/);
  const sessions = new Set(ids.map((id) => servingOf(dir, id).session));
  assert.equal(sessions.size, 1);
  assert.ok(ids.every((id) => servingOf(dir, id).trigger === 'sweep-measure' && servingOf(dir, id).quiet));
  task = frontOf(dir, ['--rule', 'fastest']).tasks[0];
  assert.equal(task.quiet, true);
  assert.equal(task.oneSession, true);
  assert.equal(task.rule.kind, 'fastest');
  const fastest = task.cells.reduce((a, c, i) => (c.latencyMs.mean < task.cells[a].latencyMs.mean ? i : a), 0);
  assert.equal(task.recommended, fastest);
  for (const c of task.cells) assert.ok(Math.abs(c.speedUp.mean - task.teacher!.latencyMs / c.latencyMs.mean) < 1e-9);

  // the markdown, the tables and the chart in a report folder
  const out = join(dir, 'report');
  assert.equal(cli(['sweep', 'report', 'shapes-tiny', '--format', 'csv', '--out', out], dir).code, 0);
  assert.ok(existsSync(join(out, 'front.csv')) && existsSync(join(out, 'front_seeds.csv')));
  const svg = readFileSync(join(out, 'front-A.svg'), 'utf8');
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.equal((svg.match(/class="seed"/g) ?? []).length, 4);
  assert.equal((svg.match(/class="recommended"/g) ?? []).length, 1);
  const md = cli(['sweep', 'report', 'shapes-tiny'], dir);
  assert.match(md.out, /### Front: A \(accuracy of the exported model against the median latency at batch 1/);
  assert.match(md.out, /\*\*Recommended: /);

  // export-recommended: the recommended cell's best seed, in f16
  front = frontOf(dir);
  task = front.tasks[0];
  const rec = task.cells[task.recommended!];
  const exported = cli(['sweep', 'export-recommended', 'shapes-tiny', '--out', 'ship', '--dtype', 'f16'], dir);
  assert.equal(exported.code, 0, exported.err + exported.out);
  assert.ok(exported.out.includes(`(${rec.seeds[0].runId}, accuracy `), exported.out);
  assert.ok([...readSafetensors(join(dir, 'ship', 'model.safetensors')).tensors.values()].some((t) => t.dtype === 'F16'));
  const badTask = cli(['sweep', 'export-recommended', 'shapes-tiny', '--out', 'ship2', '--task', 'B'], dir);
  assert.equal(badTask.code, 2);
  assert.equal(badTask.err.trim(), 'lrc-distill: --task: expected a task of sweep ' + front.sweep.id + ' (A), found "B"');
  assert.ok(!existsSync(join(dir, 'ship2')));

  // measure one run, at another serving batch
  const one = cli(['measure', rec.seeds[0].runId, '--serving-batch', '8', '--json'], dir);
  assert.equal(one.code, 0, one.err);
  const cost = JSON.parse(one.out) as ServingCost;
  assert.deepEqual([cost.trigger, cost.throughput.batch, cost.quiet], ['measure', 8, true]);
  assert.deepEqual(servingOf(dir, rec.seeds[0].runId), cost);

  // a damaged serving.json: the report still comes, that run unmeasured, and its note names the file and the field
  const damaged = servingOf(dir, ids[0]);
  writeFileSync(join(dir, '.lrc', 'runs', ids[0], 'serving.json'), JSON.stringify({ ...damaged, latency: { ...damaged.latency, medianMs: 'fast' } }));
  const broken = cli(['sweep', 'report', 'shapes-tiny', '--format', 'json'], dir);
  assert.equal(broken.code, 0, broken.err);
  const notes = (JSON.parse(broken.out) as { front: { tasks: { notes: string[] }[] } }).front.tasks.flatMap((t) => t.notes);
  assert.ok(notes.some((n) => new RegExp(`^run ${ids[0]} counts as unmeasured: \\S+/${ids[0]}/serving\\.json: latency\\.medianMs: expected a number, found "fast"; lrc-distill measure <run> writes it again$`).test(n)), notes.join('\n'));
});
