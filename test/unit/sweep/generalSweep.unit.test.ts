// A sweep that chains general distillation: one general run per student shape (COS-NCE on a corpus from
// a "pre-trained" BERT folder), the task teacher fine-tuned from that folder, then LRC runs of which one
// level starts its student from the general run of its shape ("studentInit": "(general)") and another
// does not. The plan, the sweep record (the run's studentInit is the general run's export, and it waits
// for it), the refusals, and the local pool running it all for real.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tempDir } from '../helpers/tempDir';
import { useBackend } from '../helpers/backend';
import { planSweep } from '../../../trainer/sweep/plan';
import { parseSweepFile } from '../../../trainer/sweep/sweepFile';
import { sweepRecordOf } from '../../../trainer/sweep/sweepStore';
import { dependenciesOf, membersOf } from '../../../trainer/sweep/sweepRecord';
import { Bert } from '../../../trainer/model/bert';
import { parseBertConfig } from '../../../trainer/model/config';
import { writeHfFolder } from '../../../trainer/checkpoint/hfFolder';
import { readRun } from '../../../trainer/runs/runStore';
import { readMetrics } from '../../../trainer/runs/metricsLog';
import { writeTinyTask } from '../session/tinyTask';

const root = join(__dirname, '..', '..', '..');
const WORDS = ['the', 'movie', 'was', 'a', 'plot', 'actor', 'scene', 'really', 'quite', 'story', 'and', 'it', 'good', 'great', 'fine', 'nice', 'bad', 'awful', 'poor', 'sad'];

/** A small "pre-trained" BERT folder (random weights, BertModel layout) with its vocabulary, a tiny task and a corpus. */
async function fixture(dir: string) {
  await useBackend('wasm');
  const vocab = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', ...WORDS];
  const tok = join(dir, 'tok');
  mkdirSync(tok, { recursive: true });
  writeFileSync(join(tok, 'vocab.txt'), vocab.join('\n') + '\n');
  const config = parseBertConfig({ vocab_size: vocab.length, hidden_size: 32, num_hidden_layers: 2, num_attention_heads: 4, intermediate_size: 64, max_position_embeddings: 64, hidden_dropout_prob: 0, attention_probs_dropout_prob: 0 }, 'fixture');
  const model = new Bert(config, { seed: 5 });
  const pre = join(dir, 'pretrained');
  await writeHfFolder(model, pre, { tokenizerFrom: tok, bertModel: true });
  model.dispose();
  const task = writeTinyTask(dir, 48, 16);
  const texts = readFileSync(task.train, 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t')[0]);
  writeFileSync(join(dir, 'corpus.jsonl'), texts.map((t) => JSON.stringify({ text: t })).join('\n') + '\n');
  const sweep = {
    name: 'chain',
    base: {
      backend: 'wasm', maxLength: 16, tokenizer: 'pretrained',
      data: { task: 'file', train: 'train.tsv', dev: 'dev.tsv', columns: { text: 'sentence', label: 'label' } },
      optim: { batchSize: 8, maxSteps: 4 }, eval: { everySteps: 4, analysis: false },
    },
    axes: {
      shape: { S: { student: { layers: 1, hidden: 16, heads: 2, intermediate: 32 } } },
      method: { LRC: { kind: 'lrc' }, 'LRC-general': { kind: 'lrc', studentInit: '(general)' } },
      seed: [3],
    },
    teacher: { config: { init: 'pretrained' } },
    general: { per: ['shape'], config: { teacher: { path: 'pretrained' }, data: { task: 'corpus', paths: ['corpus.jsonl'], devPassages: 8 }, optim: { batchSize: 8, maxSteps: 6 }, eval: { everySteps: 3, analysis: true } } },
    compare: [{ axis: 'method', a: 'LRC-general', b: 'LRC' }],
  };
  const file = join(dir, 'chain.sweep.json');
  writeFileSync(file, JSON.stringify(sweep, null, 2));
  return { file, sweep, pre };
}

test('the plan: a general run per shape without the task fields; the runs that ask for it wait for it and start from its export', async () => {
  const dir = tempDir('lrc-gsweep-');
  const { file, sweep, pre } = await fixture(dir);
  const plan = planSweep(parseSweepFile(sweep, file), file, 'chain');
  assert.equal(plan.generals.length, 1);
  const g = plan.generals[0].config as Record<string, any>;
  assert.equal(g.kind, 'general');
  assert.deepEqual(g.teacher, { path: pre });
  assert.deepEqual(g.data.paths, [join(dir, 'corpus.jsonl')]);
  assert.deepEqual(g.student, sweep.axes.shape.S.student);
  assert.equal(g.tokenizer, pre);
  assert.equal(g.optim.maxSteps, 6);
  assert.deepEqual(plan.runs.map((r) => [r.cell.method, r.generalKey, r.teacherKey]), [['LRC', undefined, 'teacher:'], ['LRC-general', 'general:shape=S', 'teacher:']]);
  const record = sweepRecordOf({ plan, file, cwd: dir, runsDir: join(dir, 'runs'), executor: 'local', slurm: { args: [], setup: [] } } as never, (key, kind) => `${kind}-${key.replace(/[^A-Za-z0-9]/g, '')}`);
  const chained = record.runs.find((r) => r.cell.method === 'LRC-general')!;
  assert.equal(chained.generalRunId, record.generals[0].runId);
  assert.equal(chained.config.studentInit, join(dir, 'runs', record.generals[0].runId, 'export'));
  assert.deepEqual(dependenciesOf(chained), [record.teachers[0].runId, record.generals[0].runId]);
  assert.deepEqual(membersOf(record).map((m) => m.role), ['teacher', 'general', 'run', 'run']);
  // refused: a run asking for a general run the file does not have, and a general run per an unknown axis
  const { general: _g, ...noGeneral } = sweep;
  assert.throws(() => planSweep(parseSweepFile(noGeneral, file), file, 'chain'), /run shape=S,method=LRC-general seed=3: studentInit "\(general\)" starts from the sweep's general run, but the sweep file has no "general" stage/);
  assert.throws(() => planSweep(parseSweepFile({ ...sweep, general: { ...sweep.general, per: ['size'] } }, file), file, 'chain'), /general\.per\.0: no axis 'size'/);
});

test('the local pool runs the chain: teacher and general run first, then both LRC runs, one started from the general student', { timeout: 600_000 }, async () => {
  const dir = tempDir('lrc-gsweep-run-');
  const { file } = await fixture(dir);
  const tsx = ['--import', pathToFileURL(require.resolve('tsx')).href, join(root, 'trainer', 'cli.ts')];
  const r = spawnSync(process.execPath, [...tsx, 'sweep', file, '--executor', 'local', '--workers', '2'], { cwd: dir, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /4 finished, 0 failed, 0 not started/);
  const status = spawnSync(process.execPath, [...tsx, 'sweep', 'status', 'chain', '--json'], { cwd: dir, encoding: 'utf8' });
  const runs = (JSON.parse(status.stdout) as { runs: { runId: string; role: string; state: string }[] }).runs;
  assert.deepEqual(runs.map((m) => [m.role, m.state]), [['teacher', 'finished'], ['general', 'finished'], ['run', 'finished'], ['run', 'finished']]);
  const general = runs.find((m) => m.role === 'general')!;
  const runsDir = join(dir, '.lrc', 'runs');
  assert.equal(readRun(join(runsDir, general.runId)).kind, 'general');
  const ended = (id: string) => new Date(readRun(join(runsDir, id)).endedAt!).getTime();
  const started = (id: string) => new Date(readMetrics(join(runsDir, id, 'metrics.jsonl')).find((m) => m.type === 'start')!.time as string).getTime();
  const lrcRuns = runs.filter((m) => m.role === 'run').map((m) => readRun(join(runsDir, m.runId)));
  const chained = lrcRuns.find((x) => typeof x.config.studentInit === 'string')!;
  const plain = lrcRuns.find((x) => x.config.studentInit === undefined)!;
  assert.ok(chained && plain, 'one run starts from the general run, one does not');
  assert.equal(chained.config.studentInit, join(runsDir, general.runId, 'export'));
  assert.ok(started(chained.id) >= ended(general.runId), 'the chained run started after its general run ended');
  const sweepId = readdirSync(join(dir, '.lrc', 'sweeps')).filter((n) => !n.startsWith('.'))[0];
  const log = readFileSync(join(dir, '.lrc', 'sweeps', sweepId, 'logs', `${chained.id}.log`), 'utf8');
  assert.match(log, /student started from .*export \(1 layers x 16, 2 heads, FFN 32\); its projections start fresh/);
  assert.doesNotMatch(readFileSync(join(dir, '.lrc', 'sweeps', sweepId, 'logs', `${plain.id}.log`), 'utf8'), /student started from/);
});
