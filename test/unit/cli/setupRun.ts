// A CLI training run watched during its set-up: the child process, its output, its run.json as it is
// now, and a SIGTERM with the time the process took to end. Used by the tests of a stop during set-up.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = join(__dirname, '..', '..', '..');
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface LiveRecord {
  id: string;
  status: string;
  owner?: { heartbeatAt: string };
  progress: { step: number };
}

export interface SetupRun {
  child: ChildProcess;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  /** The run's run.json now, or undefined before the folder is made. */
  record(): LiveRecord | undefined;
  runDir(id: string): string;
  /** SIGTERM, then the exit code (or 'still running' after `limitMs`, the process then killed) and the seconds it took. */
  terminate(limitMs: number): Promise<{ code: number | null | 'still running'; seconds: number }>;
  /** SIGKILL if it is still running: in a `finally`, so that a failed test leaves no trainer behind. */
  kill(): void;
}

/** `lrc-distill <args>` in `cwd`, started in the background. */
export function startSetupRun(args: string[], cwd: string): SetupRun {
  const child = spawn(process.execPath, ['--import', pathToFileURL(require.resolve('tsx')).href, join(root, 'trainer', 'cli.ts'), ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const runsDir = join(cwd, '.lrc', 'runs');
  const record = (): LiveRecord | undefined => {
    const id = existsSync(runsDir) ? readdirSync(runsDir).find((n) => !n.startsWith('.')) : undefined;
    if (!id || !existsSync(join(runsDir, id, 'run.json'))) return undefined;
    try {
      return { id, ...(JSON.parse(readFileSync(join(runsDir, id, 'run.json'), 'utf8')) as Omit<LiveRecord, 'id'>) };
    } catch {
      return undefined; // never half a file (rename), but the folder may still be made
    }
  };
  return {
    child,
    output: () => output,
    record,
    runDir: (id) => join(runsDir, id),
    async terminate(limitMs) {
      const t0 = Date.now();
      child.kill('SIGTERM');
      const code = await Promise.race([exited, sleep(limitMs).then(() => 'still running' as const)]);
      if (code === 'still running') child.kill('SIGKILL');
      return { code, seconds: (Date.now() - t0) / 1000 };
    },
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

/** SIGTERM during set-up, and what must follow: exit 130 within 15 s, the run stopped with no owner, the
 *  log saying nothing was trained. The seconds the process took to end. */
export async function expectStoppedInSetup(run: SetupRun): Promise<number> {
  const { code, seconds } = await run.terminate(15_000);
  assert.equal(code, 130, `exit code after ${seconds} s\n${run.output()}`);
  assert.ok(seconds < 15, `ended ${seconds} s after SIGTERM`);
  const ended = run.record()!;
  assert.equal(ended.status, 'stopped', run.output());
  assert.equal(ended.owner, undefined);
  assert.match(run.output(), /stopped during set-up, before step 1: nothing trained in this session/);
  return seconds;
}

/** Waits until the run is running and its heartbeat has moved on `beats` - 1 times; fails the test if
 *  the run leaves set-up meanwhile. The heartbeats seen. */
export async function heartbeatsDuringSetup(run: SetupRun, beats: number, timeoutMs: number): Promise<Set<string>> {
  const seen = new Set<string>();
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && seen.size < beats) {
    const r = run.record();
    if (r?.status === 'running' && r.owner) seen.add(r.owner.heartbeatAt);
    if (r && r.status !== 'running' && r.status !== 'queued') throw new Error(`the run left set-up: ${r.status}\n${run.output()}`);
    await sleep(50);
  }
  return seen;
}

/** A TSV of `lines` labelled sentences of `words` words each, drawn (Zipf-like, seeded) from 50,000
 *  made-up words: a vocabulary as large as a real corpus's, so that building one takes its real time. */
export function writeLargeTsv(path: string, lines: number, words: number): void {
  let s = 7;
  const rand = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const lexicon = Array.from({ length: 50_000 }, () => Array.from({ length: 3 + Math.floor(rand() * 8) }, () => letters[Math.floor(rand() * 26)]).join(''));
  const word = () => lexicon[Math.min(lexicon.length - 1, Math.floor(Math.exp(rand() * Math.log(lexicon.length))) - 1)];
  const out = ['sentence\tlabel'];
  for (let i = 0; i < lines; i++) out.push(`${Array.from({ length: words }, word).join(' ')}.\t${i % 2}`);
  writeFileSync(path, out.join('\n') + '\n');
}
