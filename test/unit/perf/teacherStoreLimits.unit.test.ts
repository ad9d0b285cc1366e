// Limits of the teacher-output store (issue 24, item 6): sizes parsed, stores pruned oldest first and
// never one in use (a live in-use marker, this process's or another host's fresh one), through
// `teacher-store prune --max / --older-than` and through a distillation run with --teacher-store-max that
// prunes the older stores before it writes its own, all through the real CLI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { cli } from '../errors/cliRun';
import { SHAPE, TINY, trainTinyTeacherRun } from '../errors/catalogue';
import { tempDir } from '../helpers/tempDir';
import { markStoreInUse, parseSize, pruneStores, storeUser } from '../../../trainer/perf/teacherStoreLimits';

const DAY = 86_400_000;

/** A store folder `id` under root of `bytes` bytes, last used `daysAgo` days ago. */
function fakeStore(root: string, id: string, bytes: number, daysAgo: number): string {
  const dir = join(root, id);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'store.json'), JSON.stringify({ format: 'fake', dtype: 'float32', layers: [1], hidden: 16, labels: 2 }) + '\n');
  writeFileSync(join(dir, 'shard-h-1-1-0.bin'), Buffer.alloc(bytes));
  const t = new Date(Date.now() - daysAgo * DAY);
  utimesSync(dir, t, t);
  return dir;
}

test('sizes: bytes, K/M/G/T as powers of 1024; anything else is one line naming the field', () => {
  assert.equal(parseSize('1048576', '--max'), 2 ** 20);
  assert.equal(parseSize('10G', '--max'), 10 * 2 ** 30);
  assert.equal(parseSize('500 MiB', '--max'), 500 * 2 ** 20);
  assert.equal(parseSize('1.5t', '--max'), 1.5 * 2 ** 40);
  assert.throws(() => parseSize('lots', '--teacher-store-max'), /--teacher-store-max: expected a size above 0: bytes, or a number with K, M, G or T \(powers of 1024\), e\.g\. 10G or 500M, found "lots"$/);
  assert.throws(() => parseSize('0', '--max'), /found "0"/);
});

test('pruning: oldest first down to the size, never a store in use (this host\'s live pid, another host\'s fresh marker), a stale marker does not keep one', () => {
  const root = tempDir('lrc-prune-');
  fakeStore(root, 'a-oldest', 4000, 9);
  const inUse = fakeStore(root, 'b-in-use', 4000, 8);
  const remote = fakeStore(root, 'c-other-host', 4000, 7);
  const stale = fakeStore(root, 'd-stale-marker', 4000, 6);
  fakeStore(root, 'e-newest', 4000, 1);
  const release = markStoreInUse(inUse, 'run-1');
  writeFileSync(join(remote, '.inuse-elsewhere-77-0'), JSON.stringify({ pid: 77, hostname: 'elsewhere', renewedAt: new Date().toISOString() }));
  writeFileSync(join(stale, '.inuse-elsewhere-78-0'), JSON.stringify({ pid: 78, hostname: 'elsewhere', renewedAt: new Date(Date.now() - DAY).toISOString() }));
  for (const d of [inUse, remote, stale]) utimesSync(d, new Date(Date.now() - 8 * DAY), new Date(Date.now() - (d === inUse ? 8 : d === remote ? 7 : 6) * DAY));
  assert.equal(storeUser(inUse)?.pid, process.pid);
  assert.equal(storeUser(stale), undefined);

  const outcome = pruneStores(root, { maxBytes: 13_000 });
  assert.deepEqual(outcome.removed.map((r) => r.id), ['a-oldest', 'd-stale-marker']);
  assert.deepEqual(outcome.inUse.map((r) => r.id), ['b-in-use', 'c-other-host']);
  assert.deepEqual(readdirSync(root).sort(), ['b-in-use', 'c-other-host', 'e-newest']);
  release();
  assert.equal(storeUser(inUse), undefined, 'released: no marker left');
  // by age alone: the store just released was used just now (its folder's time), c is still in use
  assert.deepEqual(pruneStores(root, { olderThanMs: 5 * DAY }).removed.map((r) => r.id), []);
  assert.deepEqual(readdirSync(root).sort(), ['b-in-use', 'c-other-host', 'e-newest']);
});

test('teacher-store prune through the CLI, and a run with --teacher-store-max pruning the older stores before it writes', () => {
  const fixture = trainTinyTeacherRun('lrc-store-max-');
  const dir = fixture.dir;
  const root = join(dir, '.lrc', 'teacher-outputs');
  fakeStore(root, 'old-1', 300_000, 30);
  fakeStore(root, 'old-2', 300_000, 20);
  const busy = fakeStore(root, 'busy', 300_000, 25);
  writeFileSync(join(busy, `.inuse-${hostname()}-${process.pid}-9`), JSON.stringify({ pid: process.pid, hostname: hostname(), run: 'test-run', renewedAt: new Date().toISOString() }));
  utimesSync(busy, new Date(Date.now() - 25 * DAY), new Date(Date.now() - 25 * DAY));
  fakeStore(root, 'recent', 300_000, 2);

  // the listing says which store is in use and when each was last used
  const list = cli(['teacher-store', 'list', '--json'], dir);
  assert.equal(list.code, 0, list.stderr);
  const stores = (JSON.parse(list.stdout) as { stores: { id: string; usedAt?: string; inUse?: { pid: number; run?: string } }[] }).stores;
  assert.deepEqual(stores.find((x) => x.id === 'busy')?.inUse, { pid: process.pid, hostname: hostname(), run: 'test-run' });
  assert.equal(stores.find((x) => x.id === 'old-1')?.inUse, undefined);
  assert.ok(Date.now() - Date.parse(stores.find((x) => x.id === 'old-1')!.usedAt!) > 29 * DAY);
  assert.match(cli(['teacher-store'], dir).stdout, new RegExp(`^  busy  .*, in use by process ${process.pid} on ${hostname()} \\(run test-run\\)$`, 'm'));

  const none = cli(['teacher-store', 'prune'], dir);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /^lrc-distill: teacher-store prune needs a limit: --max <size>/);

  const aged = cli(['teacher-store', 'prune', '--older-than', '21'], dir);
  assert.equal(aged.code, 0, aged.stderr);
  assert.match(aged.stdout, /removed .*old-1 \(0\.3 MiB, last used .*: not used for 30\.0 days\)/);
  assert.match(aged.stdout, new RegExp(`kept .*busy \\(0\\.3 MiB\\): in use by process ${process.pid} on ${hostname()} \\(run test-run\\)`));
  assert.deepEqual(readdirSync(root).sort(), ['busy', 'old-2', 'recent']);

  // a run that writes its store (--teacher-store on) under a 0.7 MiB limit: old-2 goes, busy stays
  const files = { train: join(dir, 'train.tsv'), dev: join(dir, 'dev.tsv') };
  const r = cli(['distill', '--teacher', fixture.id, '--teacher-store', 'on', '--teacher-store-max', '700K', ...SHAPE, ...TINY], dir);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  assert.ok(existsSync(files.train));
  assert.match(r.stdout, /teacher-output store: pruned .*old-2 \(0\.29 MiB, last used .*\) to keep the stores under 0\.68 MiB \(--teacher-store-max\)/);
  assert.match(r.stdout, /at most 1 MiB in all \(--teacher-store-max\)/);
  const left = readdirSync(root).filter((n) => !n.startsWith('.')).sort();
  assert.ok(left.includes('busy') && left.includes('recent') && !left.includes('old-2'), left.join(', '));
  const mine = left.filter((n) => !['busy', 'recent'].includes(n));
  assert.equal(mine.length, 1, 'the run\'s own store');
  assert.deepEqual(readdirSync(join(root, mine[0])).filter((n) => n.startsWith('.inuse-')), [], 'its marker released at the end');
  assert.ok(JSON.parse(readFileSync(join(root, mine[0], 'store.json'), 'utf8')));

  const listed = cli(['teacher-store', 'prune', '--max', '1'], dir);
  assert.equal(listed.code, 0, listed.stderr);
  assert.deepEqual(readdirSync(root).filter((n) => !n.startsWith('.')), ['busy'], 'all but the store in use');
});
