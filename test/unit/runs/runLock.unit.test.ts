// The claim lock of a run folder (trainer/runs/runLock.ts), through the real CLI: two resumes of one
// stopped run launched together (one trains, the other exits 2 naming the holder, the folder is one
// run's history); kill -9 of the holder, then resume (the stale lock is taken over). And the lock's rules
// for a holder on another host (a shared filesystem): a fresh lease is respected, an expired one taken over.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { acquireRunLock, LOCK_FILE } from '../../../trainer/runs/runLock';
import { STALE_HEARTBEAT_MS } from '../../../trainer/runs/liveness';
import { cli } from '../errors/cliRun';
import { trainTinyTeacherRun } from '../errors/catalogue';
import { tempDir } from '../helpers/tempDir';

const root = join(__dirname, '..', '..', '..');
let fixture: { dir: string; runDir: string; id: string };

before(() => {
  fixture = trainTinyTeacherRun('lrc-lock-fixture-');
});

/** A copy of the fixture run, stopped (resumable from its checkpoint at step 2), in a folder of its own. */
function stoppedRun(): { dir: string; runDir: string; id: string } {
  const dir = tempDir('lrc-lock-');
  const id = fixture.id.replace(/-[0-9a-f]{6}$/, '-10c4ed');
  const runDir = join(dir, '.lrc', 'runs', id);
  cpSync(fixture.runDir, runDir, { recursive: true });
  const file = join(runDir, 'run.json');
  const record = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  writeFileSync(file, JSON.stringify({ ...record, id, status: 'stopped', endedAt: undefined }, null, 2) + '\n');
  return { dir, runDir, id };
}

function launch(args: string[], cwd: string) {
  const child = spawn(process.execPath, ['--import', pathToFileURL(require.resolve('tsx')).href, join(root, 'trainer', 'cli.ts'), ...args], { cwd, env: { ...process.env, LRC_DEBUG: '' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((res) => child.on('close', (code, signal) => res({ code, signal, stdout, stderr })));
  return { child, done };
}

const metrics = (runDir: string) => readFileSync(join(runDir, 'metrics.jsonl'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { type: string; step: number; resumed?: boolean; status?: string });

test('two resumes launched together: one trains, the other exits 2 naming the holder; one history, no lock left', async () => {
  const { dir, runDir, id } = stoppedRun();
  const before = metrics(runDir);
  const [a, b] = [launch(['resume', id, '--plain'], dir), launch(['resume', id, '--plain'], dir)];
  const results = await Promise.all([a.done, b.done]);
  const pids = [a.child.pid, b.child.pid];
  const winner = results.findIndex((r) => r.code === 0);
  assert.ok(winner >= 0, `one resume finished: ${JSON.stringify(results)}`);
  const loser = results[1 - winner];
  assert.equal(loser.code, 2, JSON.stringify(loser));
  assert.equal(loser.stderr.trimEnd().split('\n').length, 1, loser.stderr);
  assert.ok(loser.stderr.startsWith(`lrc-distill: run ${id} is claimed by process ${pids[winner]} on ${hostname()} (since `), loser.stderr);
  assert.match(loser.stderr, /: it cannot be resumed twice\n$/);
  assert.match(results[winner].stdout, new RegExp(`teacher run ${id}: finished`));
  // the folder: the old history, then one resumed session's, and the run finished; no lock left
  const after = metrics(runDir);
  assert.deepEqual(after.slice(0, before.length), before);
  const added = after.slice(before.length);
  assert.equal(added.filter((r) => r.type === 'start').length, 1, JSON.stringify(added));
  assert.equal(added.find((r) => r.type === 'start')?.resumed, true);
  const record = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as { status: string };
  assert.equal(record.status, 'finished');
  assert.deepEqual(readdirSync(runDir).filter((n) => n.startsWith(LOCK_FILE)), []);
});

test('kill -9 of the holder, then resume: the stale lock (a dead pid on this host) is taken over', async () => {
  const { dir, runDir, id } = stoppedRun();
  const lockFile = join(runDir, LOCK_FILE);
  const first = launch(['resume', id, '--plain'], dir);
  const deadline = Date.now() + 60_000;
  while (!existsSync(lockFile) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.ok(existsSync(lockFile), 'the first resume took the lock');
  assert.equal((JSON.parse(readFileSync(lockFile, 'utf8')) as { pid: number }).pid, first.child.pid);
  first.child.kill('SIGKILL');
  const killed = await first.done;
  assert.equal(killed.signal, 'SIGKILL');
  assert.ok(existsSync(lockFile), 'kill -9 leaves the lock behind');
  const second = cli(['resume', id, '--plain'], dir);
  assert.equal(second.code, 0, second.stderr + second.stdout);
  assert.match(second.stderr, new RegExp(`took over the stale lock .*\\(process ${first.child.pid} on ${hostname()} is gone\\)`));
  assert.match(second.stdout, new RegExp(`teacher run ${id}: finished`));
  assert.deepEqual(readdirSync(runDir).filter((n) => n.startsWith(LOCK_FILE)), []);
});

test('a holder on another host: a fresh lease is respected, an expired one is taken over; release removes only its own lock', () => {
  const { runDir, id } = stoppedRun();
  const lockFile = join(runDir, LOCK_FILE);
  const now = Date.now();
  const other = (renewedAt: number) => JSON.stringify({ pid: 4242, hostname: 'node-17.cluster', startedAt: new Date(now - 3_600_000).toISOString(), renewedAt: new Date(renewedAt).toISOString() }) + '\n';
  writeFileSync(lockFile, other(now - 30_000));
  assert.throws(() => acquireRunLock(runDir), { message: `run ${id} is claimed by process 4242 on node-17.cluster (since ${new Date(now - 3_600_000).toISOString()}; ${lockFile}): it cannot be resumed twice` });
  assert.equal(readFileSync(lockFile, 'utf8'), other(now - 30_000), 'the holder\'s lock is untouched');
  writeFileSync(lockFile, other(now - STALE_HEARTBEAT_MS - 1000));
  const said: string[] = [];
  const lock = acquireRunLock(runDir, (m) => said.push(m));
  assert.match(said[0], /took over the stale lock .*\(its lease was last renewed at /);
  assert.equal((JSON.parse(readFileSync(lockFile, 'utf8')) as { pid: number }).pid, process.pid);
  // held: a second claim in this process is refused too
  assert.throws(() => acquireRunLock(runDir), /is claimed by process \d+ on /);
  // a lock that is no longer ours (taken over while we were judged stale) is not removed by our release
  writeFileSync(lockFile, other(now));
  lock.release();
  assert.equal(readFileSync(lockFile, 'utf8'), other(now));
  writeFileSync(lockFile, 'half a lo'); // a lock cut short (a crash while it was written) is stale
  acquireRunLock(runDir).release();
  assert.ok(!existsSync(lockFile));
});
