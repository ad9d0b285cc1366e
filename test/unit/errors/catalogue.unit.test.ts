// Every row of the catalogue (catalogue.ts) through the real CLI: the exit code, the message fragment on
// one line of stderr and no stack trace; nothing in the row's folder changed (every file hashed before
// and after) but what the row allows: a failed run's folder, whose run.json and metrics.jsonl say the
// same as the CLI. docs/errors.md is the table of the same rows.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { tempDir } from '../helpers/tempDir';
import { changed, cli, snapshot, STACK_LINE } from './cliRun';
import { writeTinyTask } from '../session/tinyTask';
import { AREAS, CATALOGUE, trainTinyTeacherRun, type CatalogueRow, type RowContext } from './catalogue';
import { catalogueMarkdown } from './printCatalogue';

const root = join(__dirname, '..', '..', '..');

let fixture: { dir: string; runDir: string; id: string; exportDir: string };

before(() => {
  const run = trainTinyTeacherRun('lrc-catalogue-fixture-');
  fixture = { ...run, exportDir: join(run.runDir, 'export') };
});

function rowContext(dir: string): RowContext {
  const runsDir = join(dir, '.lrc', 'runs');
  let runs = 0;
  const ctx: RowContext = {
    dir,
    runsDir,
    write(name, content) {
      const p = resolve(dir, name);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, content);
      return p;
    },
    read: (name) => readFileSync(resolve(dir, name)),
    remove: (name) => rmSync(resolve(dir, name)),
    tinyTask: () => writeTinyTask(dir, 32, 16),
    teacherFolder(name = 'teacher') {
      const to = join(dir, name);
      cpSync(fixture.exportDir, to, { recursive: true });
      return to;
    },
    run(change) {
      const id = fixture.id.replace(/-[0-9a-f]{6}$/, `-${(0xc0ffe0 + runs++).toString(16)}`);
      const to = join(runsDir, id);
      cpSync(fixture.runDir, to, { recursive: true });
      const record = JSON.parse(readFileSync(join(to, 'run.json'), 'utf8')) as Record<string, unknown>;
      record.id = id;
      change?.(record);
      writeFileSync(join(to, 'run.json'), JSON.stringify(record, null, 2) + '\n');
      return id;
    },
    liveOwner: () => ({ pid: process.pid, hostname: hostname(), heartbeatAt: new Date().toISOString() }),
  };
  return ctx;
}

/** The one new run folder of a 'failed run' row: failed in run.json and metrics.jsonl with `message`, and holding nothing else. */
function checkFailedRun(dir: string, diff: string[], message: string): void {
  const runs = new Set(diff.map((p) => /^\.lrc\/runs\/([^/]+)\//.exec(p)?.[1]).filter((id) => id !== undefined));
  assert.equal(runs.size, 1, `one new run folder, got: ${diff.join(', ')}`);
  const [id] = [...runs];
  const prefix = `.lrc/runs/${id}/`;
  const outside = diff.filter((p) => !p.startsWith(prefix) && p !== '.lrc/' && p !== '.lrc/runs/');
  assert.deepEqual(outside, [], 'nothing changed outside the new run folder');
  assert.deepEqual(
    diff.filter((p) => p.startsWith(prefix)).map((p) => p.slice(prefix.length)).sort(),
    ['', 'analysis/', 'checkpoints/', 'config.json', 'metrics.jsonl', 'run.json'],
    'the failed run holds its record, config and log, and no checkpoint or model',
  );
  const record = JSON.parse(readFileSync(join(dir, prefix, 'run.json'), 'utf8')) as { status: string; error?: { message: string } };
  assert.equal(record.status, 'failed');
  assert.equal(record.error?.message, message, 'run.json says what the CLI said');
  const log = readFileSync(join(dir, prefix, 'metrics.jsonl'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { type: string; status?: string; error?: string });
  const last = log[log.length - 1];
  assert.deepEqual([last.type, last.status, last.error], ['status', 'failed', message], 'metrics.jsonl says the same');
}

function runRow(row: CatalogueRow): void {
  const dir = tempDir('lrc-catalogue-');
  const ctx = rowContext(dir);
  const args = row.setup(ctx);
  const before = snapshot(dir);
  const r = cli(args, dir);
  const diff = changed(before, snapshot(dir));
  const context = `\n--- stderr\n${r.stderr}\n--- stdout\n${r.stdout}`;
  assert.equal(r.code, row.exit, `exit code${context}`);
  assert.doesNotMatch(r.stderr, STACK_LINE, `no stack trace${context}`);
  assert.doesNotMatch(r.stdout, STACK_LINE, `no stack trace${context}`);
  if (row.exit !== 0) {
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 1, `one line on stderr${context}`);
    assert.ok(lines[0].startsWith('lrc-distill: '), context);
    assert.ok(lines[0].includes(row.fragment), `the message holds ${JSON.stringify(row.fragment)}${context}`);
    const message = lines[0].slice('lrc-distill: '.length);
    if (row.changes === 'failed run') checkFailedRun(dir, diff, message);
    else assert.deepEqual(diff, [], `nothing in the folder changed${context}`);
  } else {
    assert.ok(r.stdout.includes(row.fragment), `the output holds ${JSON.stringify(row.fragment)}${context}`);
    const runs = new Set(diff.map((p) => /^\.lrc\/runs\/([^/]+)\//.exec(p)?.[1]));
    assert.ok(runs.size <= 1 && !runs.has(undefined), `only the resumed run's folder changed: ${diff.join(', ')}`);
  }
  row.check?.(ctx, r);
}

test('the catalogue: at least 40 rows, every area, no case twice', () => {
  assert.ok(CATALOGUE.length >= 40, `${CATALOGUE.length} rows`);
  for (const { area } of AREAS) assert.ok(CATALOGUE.some((r) => r.area === area), `a row for ${area}`);
  const names = CATALOGUE.map((r) => `${r.area}: ${r.case}`);
  assert.equal(new Set(names).size, names.length);
});

for (const row of CATALOGUE) {
  test(`${row.area}: ${row.case} -> exit ${row.exit}`, () => runRow(row));
}

test('the folder check sees a change: `runs` marks a live run whose process is gone crashed, in its run.json', () => {
  const dir = tempDir('lrc-catalogue-');
  const ctx = rowContext(dir);
  const gone = spawnSync(process.execPath, ['-e', 'process.pid']).pid!; // a pid that has just ended
  const id = ctx.run((r) => Object.assign(r, { status: 'running', owner: { pid: gone, hostname: hostname(), heartbeatAt: new Date().toISOString() } }));
  const before = snapshot(dir);
  assert.equal(cli(['runs'], dir).code, 0);
  assert.deepEqual(changed(before, snapshot(dir)), [`.lrc/runs/${id}/run.json`]);
});

test('--debug and LRC_DEBUG=1 add the stack trace below the same line', () => {
  const dir = tempDir('lrc-catalogue-');
  const plain = cli(['train-teacher', '--epochs', 'many'], dir);
  const debug = cli(['train-teacher', '--epochs', 'many', '--debug'], dir);
  const env = cli(['train-teacher', '--epochs', 'many'], dir, { LRC_DEBUG: '1' });
  for (const r of [plain, debug, env]) assert.equal(r.code, 2);
  assert.equal(plain.stderr.trimEnd().split('\n').length, 1);
  for (const r of [debug, env]) {
    const [first, ...stack] = r.stderr.trimEnd().split('\n');
    assert.equal(first, plain.stderr.trimEnd());
    assert.match(stack.join('\n'), STACK_LINE);
  }
});

test('docs/errors.md is the table of these rows (node --import tsx test/unit/errors/printCatalogue.ts > docs/errors.md)', () => {
  assert.equal(readFileSync(join(root, 'docs', 'errors.md'), 'utf8'), catalogueMarkdown());
});
