// distill --teacher <teacher run> inherits the teacher run's task (data files, columns, header setting,
// label kind), max length and tokenizer unless the user gives them (issue 24, item 4): through the real
// CLI, a teacher on a 4-class headerless news file, a distillation that names only the teacher and the
// student shape (it used to train on the bundled demo task and fail on num_labels 4 vs 2), and one whose
// flags override the max length and a column.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli } from '../errors/cliRun';
import { SHAPE } from '../errors/catalogue';
import { tempDir } from '../helpers/tempDir';

const STEPS = ['--batch-size', '8', '--max-steps', '2', '--eval-every', '2', '--no-analysis', '--plain', '--backend', 'wasm'];

function newsFile(path: string, n: number): string {
  const topics = [['match', 'goal', 'team'], ['market', 'shares', 'bank'], ['election', 'vote', 'party'], ['phone', 'chip', 'software']];
  const rows = Array.from({ length: n }, (_, i) => `${i % 4}\tthe ${topics[i % 4][i % 3]} news of the ${topics[i % 4][(i + 1) % 3]} today`);
  writeFileSync(path, rows.join('\n') + '\n');
  return path;
}

type Record = { id: string; status: string; config: { data: unknown; maxLength?: number; tokenizer?: string }; inherited?: { from: string; data?: unknown; maxLength?: number; tokenizer?: string } };

test('distill --teacher <run> trains on the teacher run\'s task and max length; flags override; run.json and the log say what was inherited', () => {
  const dir = tempDir('lrc-inherit-');
  const train = newsFile(join(dir, 'news.tsv'), 32);
  const dev = newsFile(join(dir, 'news-dev.tsv'), 12);
  const teacher = cli(['train-teacher', '--task', 'file', '--train', train, '--dev', dev, '--no-header', '--label-column', '0', '--text-column', '1', '--max-length', '24', ...SHAPE, ...STEPS], dir);
  assert.equal(teacher.code, 0, teacher.stderr + teacher.stdout);
  const teacherId = /teacher run (\S+): finished/.exec(teacher.stdout)![1];
  const runsDir = join(dir, '.lrc', 'runs');
  const read = (id: string) => JSON.parse(readFileSync(join(runsDir, id, 'run.json'), 'utf8')) as Record;
  const teacherData = read(teacherId).config.data;

  // only the teacher and the student's shape: everything about the task comes from the teacher run
  const r = cli(['distill', '--teacher', teacherId.slice(0, -2), ...SHAPE, ...STEPS], dir);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const id = /lrc run (\S+): finished/.exec(r.stdout)![1];
  const run = read(id);
  assert.deepEqual(run.config.data, teacherData);
  assert.equal(run.config.maxLength, 24);
  assert.deepEqual(run.inherited, { from: teacherId, data: teacherData, maxLength: 24, tokenizer: join(runsDir, teacherId, 'export') });
  const line = `inherited from teacher run ${teacherId}: task file (train ${train}, dev ${dev}; columns text "1", label "0"; no header line), max length 24, the teacher's tokenizer (${join(runsDir, teacherId, 'export')})`;
  assert.ok(r.stdout.includes(line), r.stdout);
  const start = readFileSync(join(runsDir, id, 'metrics.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { type: string; inherited?: unknown }).find((x) => x.type === 'start');
  assert.deepEqual(start?.inherited, run.inherited);

  // flags override: --max-length is the user's, the dev file is another; the rest still the teacher's
  const dev2 = newsFile(join(dir, 'news-dev2.tsv'), 8);
  const o = cli(['distill', '--teacher', teacherId, '--max-length', '16', '--dev', dev2, '--baseline', ...SHAPE, ...STEPS], dir);
  assert.equal(o.code, 0, o.stderr + o.stdout);
  for (const kind of ['lrc', 'mse']) {
    const oid = new RegExp(`${kind} run (\\S+): finished`).exec(o.stdout)![1];
    const over = read(oid);
    assert.equal(over.config.maxLength, 16, kind);
    assert.deepEqual(over.config.data, { ...(teacherData as object), dev: dev2 }, kind);
    assert.equal(over.inherited?.maxLength, undefined, kind);
    assert.deepEqual(over.inherited?.data, teacherData, kind);
  }

  // a --task of the user's own: the data is not inherited
  const g = cli(['distill', '--teacher', teacherId, '--task', 'demo', '--max-length', '16', ...SHAPE, ...STEPS, '--max-train', '8', '--max-dev', '8'], dir);
  assert.equal(g.code, 2, g.stderr + g.stdout);
  assert.match(g.stderr, /num_labels 4 but the task has 2/);
});

test('a teacher run made from a --config file with relative paths: its config holds them absolute, so a distillation started from another folder inherits files that exist', () => {
  const dir = tempDir('lrc-inherit-rel-');
  newsFile(join(dir, 'news.tsv'), 32);
  newsFile(join(dir, 'news-dev.tsv'), 12);
  writeFileSync(join(dir, 'teacher.json'), JSON.stringify({ kind: 'teacher', maxLength: 24, data: { task: 'file', train: 'news.tsv', dev: './news-dev.tsv', header: false, columns: { text: 1, label: 0 } } }));
  const runs = join(dir, 'runs');
  const teacher = cli(['train-teacher', '--config', 'teacher.json', '--runs', runs, ...SHAPE, ...STEPS], dir);
  assert.equal(teacher.code, 0, teacher.stderr + teacher.stdout);
  const teacherId = /teacher run (\S+): finished/.exec(teacher.stdout)![1];
  const data = (JSON.parse(readFileSync(join(runs, teacherId, 'run.json'), 'utf8')) as Record).config.data as { train: string; dev: string };
  assert.equal(data.train, join(dir, 'news.tsv'));
  assert.equal(data.dev, join(dir, 'news-dev.tsv'));

  const elsewhere = tempDir('lrc-inherit-elsewhere-');
  const r = cli(['distill', '--teacher', teacherId, '--runs', runs, ...SHAPE, ...STEPS], elsewhere);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  assert.ok(r.stdout.includes(`task file (train ${join(dir, 'news.tsv')}, dev ${join(dir, 'news-dev.tsv')};`), r.stdout);
});
