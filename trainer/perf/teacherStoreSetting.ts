// The teacher-output store setting of a process (trainer/perf/teacherOutputStore.ts): the CLI flags
// --teacher-store and --teacher-store-dtype, else LRC_TEACHER_STORE and LRC_TEACHER_STORE_DTYPE, else
// 'auto' and float32. Values: 'on' (the folder teacher-outputs beside the runs folder, .lrc/teacher-outputs
// by default, read and written), 'auto' (that folder, written only by the runs of a sweep and by runs whose
// training set does not fit the memory budget of --teacher-cache; read by every run when it exists),
// 'off', or a folder (read and written). float32 keeps every number of a run as it is without the store;
// float16 halves the disk and rounds the teacher's hidden states to float16 in every run that uses it.
// Like --teacher-cache it changes the speed, and with float32 never the numbers, so it lives beside the
// process, not in the run config.
import { statfsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { InputError, shown } from '../errors';
import type { TeacherStoreDtype } from './teacherOutputStore';
import { resolveTeacherStoreMax, type StoreMaxField } from './teacherStoreLimits';

export type TeacherStoreField = '--teacher-store' | 'LRC_TEACHER_STORE';
export type TeacherStoreDtypeField = '--teacher-store-dtype' | 'LRC_TEACHER_STORE_DTYPE';

/** The stores' total size limit (--teacher-store-max, LRC_TEACHER_STORE_MAX): a run that writes prunes the
 *  oldest stores not in use to keep under it (trainer/perf/teacherStoreLimits.ts). */
export type TeacherStoreMax = { bytes: number; source: StoreMaxField };

export type TeacherStoreSetting =
  | { mode: 'off'; source: TeacherStoreField | 'default' }
  | { mode: 'auto' | 'on'; dtype: TeacherStoreDtype; source: TeacherStoreField | 'default'; max?: TeacherStoreMax }
  | { mode: 'folder'; folder: string; dtype: TeacherStoreDtype; source: TeacherStoreField; max?: TeacherStoreMax };

/** The folder 'auto' uses for the runs of `runsDir`: teacher-outputs beside it. */
export const defaultTeacherStoreDir = (runsDir: string): string => join(dirname(runsDir), 'teacher-outputs');

/** The store's cap: a quarter of the disk space free when the run starts, at most 16 GiB. */
export function storeCapBytes(folder: string): number {
  let free = Infinity;
  try {
    const s = statfsSync(existingAncestor(folder));
    free = Number(s.bavail) * Number(s.bsize);
  } catch {
    // an unknown file system: the 16 GiB cap alone
  }
  return Math.min(Math.floor(free / 4), 16 * 2 ** 30);
}

function existingAncestor(folder: string): string {
  let dir = resolve(folder);
  for (;;) {
    try {
      statfsSync(dir);
      return dir;
    } catch {
      const up = dirname(dir);
      if (up === dir) return dir;
      dir = up;
    }
  }
}

function parseDtype(value: string, field: TeacherStoreDtypeField): TeacherStoreDtype {
  const v = value.trim();
  if (v === 'float32' || v === 'f32') return 'float32';
  if (v === 'float16' || v === 'f16') return 'float16';
  throw new InputError({ field, expected: "'float32' (f32) or 'float16' (f16)", found: shown(value) });
}

export function parseTeacherStore(value: string, field: TeacherStoreField, dtype: TeacherStoreDtype): TeacherStoreSetting {
  const v = value.trim();
  if (v === 'off') return { mode: 'off', source: field };
  if (v === 'auto' || v === 'on') return { mode: v, dtype, source: field };
  if (v === '') throw new InputError({ field, expected: "'auto', 'on', 'off' or a folder", found: shown(value) });
  return { mode: 'folder', folder: isAbsolute(v) ? v : resolve(v), dtype, source: field };
}

/** The flags when given, else the variables when set and not empty, else 'auto' with float32 and no size limit. */
export function resolveTeacherStore(flag: string | undefined, dtypeFlag: string | undefined, env: NodeJS.ProcessEnv = process.env, maxFlag?: string): TeacherStoreSetting {
  const max = resolveTeacherStoreMax(maxFlag, env);
  const setting = resolveStoreMode(flag, dtypeFlag, env);
  return max && setting.mode !== 'off' ? { ...setting, max } : setting;
}

function resolveStoreMode(flag: string | undefined, dtypeFlag: string | undefined, env: NodeJS.ProcessEnv): TeacherStoreSetting {
  const dtypeVariable = env.LRC_TEACHER_STORE_DTYPE;
  const dtype = dtypeFlag !== undefined
    ? parseDtype(dtypeFlag, '--teacher-store-dtype')
    : dtypeVariable !== undefined && dtypeVariable !== '' ? parseDtype(dtypeVariable, 'LRC_TEACHER_STORE_DTYPE') : 'float32';
  if (flag !== undefined) return parseTeacherStore(flag, '--teacher-store', dtype);
  const variable = env.LRC_TEACHER_STORE;
  if (variable !== undefined && variable !== '') return parseTeacherStore(variable, 'LRC_TEACHER_STORE', dtype);
  return { mode: 'auto', dtype, source: 'default' };
}

/** The folder of a setting for the runs of `runsDir`, or undefined when off. */
export function teacherStoreFolder(setting: TeacherStoreSetting, runsDir: string): string | undefined {
  if (setting.mode === 'off') return undefined;
  return setting.mode === 'folder' ? setting.folder : defaultTeacherStoreDir(runsDir);
}

/** Whether a run adds to the store: always with 'on' or a folder; with 'auto', the runs of a sweep (they
 * share their teacher with the sweep's other runs) and runs whose training set overflows the memory budget
 * (not runs whose memory cache is off: they asked for the teacher at every step). */
export function storeWrites(setting: TeacherStoreSetting, run: { inSweep: boolean; overflowsMemory: boolean }): boolean {
  if (setting.mode === 'off') return false;
  if (setting.mode === 'auto') return run.inSweep || run.overflowsMemory;
  return true;
}

/** The setting as the log shows it: "auto, float32 (default)", "/data/store, float16 (--teacher-store)". */
export function describeTeacherStore(setting: TeacherStoreSetting): string {
  if (setting.mode === 'off') return `off (${setting.source})`;
  const max = setting.max ? `, at most ${(setting.max.bytes / 2 ** 20).toFixed(0)} MiB in all (${setting.max.source})` : '';
  return `${setting.mode === 'folder' ? setting.folder : setting.mode}, ${setting.dtype} (${setting.source})${max}`;
}
