// Atomic writes: a file is written under a temporary name in the same folder and renamed into place,
// a folder is filled under a temporary name beside its target and renamed into place, so a reader
// (or a crash) never sees half a checkpoint. Rename cannot replace a non-empty folder, so an existing
// target is first renamed aside and removed once the new folder is in place.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

function temporaryName(path: string, kind: 'tmp' | 'old'): string {
  return join(dirname(path), `.${basename(path)}.${kind}-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`);
}

/** Writes `data` to `path` through a temporary file and a rename. */
export function writeFileAtomic(path: string, data: Uint8Array | string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = temporaryName(path, 'tmp');
  try {
    const fd = openSync(tmp, 'w');
    try {
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      let written = 0;
      while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new Error(`${path}: could not be written (${(e as Error).message})`);
  }
}

/**
 * Creates the folder `target` by filling a temporary folder with `fill(tmpDir)` and renaming it into
 * place; an existing `target` is replaced. On an error nothing of the new folder is left behind.
 */
export async function writeFolderAtomic(target: string, fill: (tmpDir: string) => void | Promise<void>): Promise<void> {
  mkdirSync(dirname(target), { recursive: true });
  const tmp = temporaryName(target, 'tmp');
  mkdirSync(tmp);
  try {
    await fill(tmp);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  const old = existsSync(target) ? temporaryName(target, 'old') : undefined;
  try {
    if (old) renameSync(target, old);
    renameSync(tmp, target);
  } catch (e) {
    if (old && !existsSync(target)) renameSync(old, target);
    rmSync(tmp, { recursive: true, force: true });
    throw new Error(`${target}: could not be put in place (${(e as Error).message})`);
  }
  if (old) rmSync(old, { recursive: true, force: true });
}

/** Writes `value` as indented JSON to `path`, atomically. */
export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, JSON.stringify(value, null, 2) + '\n');
}
