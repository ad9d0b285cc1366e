// The path fields of a run config (data files and folders, tokenizer, init, studentInit, the teacher's
// folder) made absolute: "~/..." in the home folder, an absolute path as it is, anything else relative to
// `baseDir` (a sweep file's folder; the working folder for a --config file). A run folder then holds a
// config that means the same from any working folder: resumed elsewhere, or inherited by a distillation
// started elsewhere (trainer/config/inherit.ts).
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { isPlainObject, type Json } from '../util/deepMerge';

const PATH_FIELDS: string[][] = [['data', 'dir'], ['data', 'train'], ['data', 'dev'], ['tokenizer'], ['init'], ['teacher', 'path'], ['studentInit']];

export function absolutePath(path: string, baseDir: string): string {
  if (path === '~' || path.startsWith('~/')) return join(homedir(), path.slice(1));
  return isAbsolute(path) ? path : resolve(baseDir, path);
}

/** A copy of `config` with its path fields absolute; a value `keep` accepts (e.g. a sweep's "(general)") stays. */
export function absoluteConfigPaths(config: Json, baseDir: string, keep: (value: string) => boolean = () => false): Json {
  const out = structuredClone(config);
  const fix = (p: string) => (keep(p) ? p : absolutePath(p, baseDir));
  const data = out.data;
  if (isPlainObject(data) && Array.isArray(data.paths)) data.paths = data.paths.map((p) => (typeof p === 'string' ? fix(p) : p));
  for (const path of PATH_FIELDS) {
    const parent = path.slice(0, -1).reduce<unknown>((o, k) => (isPlainObject(o) ? o[k] : undefined), out);
    const key = path[path.length - 1];
    if (isPlainObject(parent) && typeof parent[key] === 'string') parent[key] = fix(parent[key] as string);
  }
  return out;
}
