// Where the optional shared data (GLUE files, the bert-base-uncased vocabulary) lives: the folder named
// by LRC_SHARED_DATA, else `../shared/data` beside the repository. Nothing in the product needs it;
// tests that use it skip, with this module's message, when it is absent.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The shared data folder, or undefined when there is none. */
export function locateSharedData(repoRoot: string): string | undefined {
  const fromEnv = process.env.LRC_SHARED_DATA;
  if (fromEnv) return existsSync(fromEnv) ? resolve(fromEnv) : undefined;
  const beside = resolve(repoRoot, '..', 'shared', 'data');
  return existsSync(beside) ? beside : undefined;
}

/** A file of the shared data folder, or undefined when the folder or the file is absent. */
export function sharedDataFile(repoRoot: string, ...parts: string[]): string | undefined {
  const root = locateSharedData(repoRoot);
  if (!root) return undefined;
  const path = join(root, ...parts);
  return existsSync(path) ? path : undefined;
}

/** The message of a test skipped for want of shared data. */
export function sharedDataSkipMessage(what: string): string {
  return `skipped: ${what} not found (set LRC_SHARED_DATA or put the shared data at ../shared/data beside the repository)`;
}
