// Running the CLI from a test as a user would (tsx by path, in a folder of its own), and hashing a
// folder to see what a command changed.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = join(__dirname, '..', '..', '..');

/** A line of a JavaScript stack trace. */
export const STACK_LINE = /^\s+at .+(\(.*:\d+:\d+\)|:\d+:\d+)$/m;

/** `lrc-distill <args>` in `cwd` (LRC_DEBUG unset unless `env` sets it): exit code and output. */
export function cli(args: string[], cwd: string, env: Record<string, string> = {}) {
  const { LRC_DEBUG: _debug, ...rest } = process.env;
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(require.resolve('tsx')).href, join(root, 'trainer', 'cli.ts'), ...args], { cwd, encoding: 'utf8', env: { ...rest, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Every file and folder under `dir`, relative, with the sha-256 of each file. */
export function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const rel = relative(dir, p);
      if (statSync(p).isDirectory()) {
        out.set(`${rel}/`, 'folder');
        walk(p);
      } else {
        out.set(rel, createHash('sha256').update(readFileSync(p)).digest('hex'));
      }
    }
  };
  walk(dir);
  return out;
}

/** The paths added, removed or changed between two snapshots. */
export function changed(before: Map<string, string>, after: Map<string, string>): string[] {
  const paths = new Set([...before.keys(), ...after.keys()]);
  return [...paths].filter((p) => before.get(p) !== after.get(p)).sort();
}

