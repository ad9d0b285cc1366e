// The teacher-output cache setting of a process (trainer/perf/teacherOutputCache.ts): the CLI flag
// --teacher-cache, else the LRC_TEACHER_CACHE variable, else 'auto'. Values: 'auto' (cache the whole
// training set when its estimate fits under a cap of min(25% of the memory, 4 GiB), else as much as
// fits), 'off', or a budget in MiB (0 is 'off'). The cache changes the speed, never the numbers, so the
// setting lives beside the process (as --threads does), not in the run config.
import { totalmem } from 'node:os';
import { InputError, shown } from '../errors';

export type TeacherCacheField = '--teacher-cache' | 'LRC_TEACHER_CACHE';

export type TeacherCacheSetting =
  | { mode: 'auto' | 'off'; source: TeacherCacheField | 'default' }
  | { mode: 'budget'; mib: number; source: TeacherCacheField };

/** The cap of 'auto': a quarter of the machine's memory, at most 4 GiB. */
export function autoCapBytes(memory = totalmem()): number {
  return Math.min(Math.floor(memory / 4), 4 * 2 ** 30);
}

export function parseTeacherCache(value: string, field: TeacherCacheField): TeacherCacheSetting {
  const v = value.trim();
  if (v === 'auto' || v === 'off') return { mode: v, source: field };
  if (/^\d+(\.\d+)?$/.test(v)) {
    const mib = Number(v);
    return mib === 0 ? { mode: 'off', source: field } : { mode: 'budget', mib, source: field };
  }
  throw new InputError({ field, expected: "'auto', 'off' or a budget in MiB (a number, 0 = off)", found: shown(value) });
}

/** The flag when given, else LRC_TEACHER_CACHE when set and not empty, else 'auto'. */
export function resolveTeacherCache(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): TeacherCacheSetting {
  if (flag !== undefined) return parseTeacherCache(flag, '--teacher-cache');
  const variable = env.LRC_TEACHER_CACHE;
  if (variable !== undefined && variable !== '') return parseTeacherCache(variable, 'LRC_TEACHER_CACHE');
  return { mode: 'auto', source: 'default' };
}

/**
 * Bytes the cache needs for every example of a training set: per example, mapped layers x real tokens
 * x hidden float32 values and the logits (what TeacherOutputCache stores; duplicates are counted twice).
 */
export function estimateTeacherCacheBytes(examples: readonly { inputIds: readonly number[] }[], shape: { layers: number; hidden: number; labels: number }): number {
  let tokens = 0;
  for (const e of examples) tokens += e.inputIds.length;
  return estimateTeacherCacheBytesOf({ examples: examples.length, tokens }, shape);
}

/** The same from the counts alone (a streamed corpus, whose passages are never all in memory). */
export function estimateTeacherCacheBytesOf(size: { examples: number; tokens: number }, shape: { layers: number; hidden: number; labels: number }): number {
  return size.tokens * shape.layers * shape.hidden * 4 + size.examples * shape.labels * 4;
}

export interface TeacherCachePlan {
  /** False: the step runs the teacher every time. */
  enabled: boolean;
  /** TeacherOutputCache's maxBytes. */
  budgetBytes: number;
  estimateBytes: number;
  /** The whole training set fits in the budget. */
  fits: boolean;
}

/** What a setting decides for a training set of `estimateBytes`. */
export function planTeacherCache(setting: TeacherCacheSetting, estimateBytes: number, memory = totalmem()): TeacherCachePlan {
  if (setting.mode === 'off') return { enabled: false, budgetBytes: 0, estimateBytes, fits: false };
  const budgetBytes = setting.mode === 'budget' ? Math.floor(setting.mib * 2 ** 20) : autoCapBytes(memory);
  return { enabled: budgetBytes > 0, budgetBytes, estimateBytes, fits: estimateBytes <= budgetBytes };
}

/** The setting as the log shows it: "auto (default)", "512 MiB (--teacher-cache)". */
export function describeTeacherCache(setting: TeacherCacheSetting): string {
  return `${setting.mode === 'budget' ? `${setting.mib} MiB` : setting.mode} (${setting.source})`;
}
