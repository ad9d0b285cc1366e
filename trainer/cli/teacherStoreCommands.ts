// `lrc-distill teacher-store [list]`, `teacher-store remove <id>|--all` and `teacher-store prune [--max
// <size>] [--older-than <days>]` (trainer/perf/teacherStoreLimits.ts): what the teacher-output store
// holds (one folder per teacher: its teacher, dtype, layers, outputs and size) and taking it away. The
// store only saves time, so removing a folder at any moment costs the next runs their first epoch's
// teacher passes and nothing else; a run reading it meanwhile computes what it can no longer read.
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors';
import { TeacherOutputStore, type TeacherStoreDtype } from '../perf/teacherOutputStore';
import { defaultTeacherStoreDir, resolveTeacherStore, teacherStoreFolder } from '../perf/teacherStoreSetting';
import { parseDays, parseSize, pruneStores, resolveTeacherStoreMax, storeUser } from '../perf/teacherStoreLimits';
import { EXIT, type CliContext } from './runCommands';

const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(1);

interface StoreListing {
  id: string;
  dir: string;
  teacher?: string;
  dtype: TeacherStoreDtype;
  layers: number[];
  outputs: number;
  shards: number;
  bytes: number;
  created?: string;
  /** Last use: the folder's modification time (teacherStoreLimits.ts). */
  usedAt?: string;
  /** The run process using it now, if any (it is never pruned then). */
  inUse?: { pid: number; hostname: string; run?: string };
  /** Shards left out, as the store's warnings say. */
  problems: string[];
}

/** The store folder the settings name (the default one when the setting is off). */
function storeRoot(ctx: CliContext): string {
  const setting = resolveTeacherStore(ctx.flags['teacher-store'], ctx.flags['teacher-store-dtype']);
  return teacherStoreFolder(setting, ctx.runsDir) ?? defaultTeacherStoreDir(ctx.runsDir);
}

function listStores(root: string): StoreListing[] {
  if (!existsSync(root)) return [];
  const listings: StoreListing[] = [];
  for (const id of readdirSync(root).sort()) {
    const dir = join(root, id);
    let description: Record<string, unknown>;
    try {
      description = JSON.parse(readFileSync(join(dir, 'store.json'), 'utf8')) as Record<string, unknown>;
    } catch {
      continue; // not a store folder
    }
    const dtype = description.dtype === 'float16' ? 'float16' : 'float32';
    const layers = Array.isArray(description.layers) ? (description.layers as number[]) : [];
    const problems: string[] = [];
    const store = new TeacherOutputStore(root, { id, layers, hidden: Number(description.hidden), labels: Number(description.labels), describe: description }, { dtype, write: false, maxBytes: 0, warn: (m) => problems.push(m) });
    const s = store.stats();
    store.close();
    let usedAt: string | undefined;
    try {
      usedAt = new Date(statSync(dir).mtimeMs).toISOString();
    } catch {
      // removed meanwhile
    }
    const user = storeUser(dir);
    listings.push({
      id, dir, teacher: description.teacher as string | undefined, dtype, layers, outputs: s.entries, shards: s.shards, bytes: s.bytes, created: description.created as string | undefined,
      usedAt, ...(user ? { inUse: { pid: user.pid, hostname: user.hostname, ...(user.run ? { run: user.run } : {}) } } : {}), problems,
    });
  }
  return listings;
}

export function teacherStoreCommand(ctx: CliContext): number {
  const [sub = 'list', ...rest] = ctx.positionals;
  const root = storeRoot(ctx);
  if (sub === 'list') {
    const stores = listStores(root);
    if (ctx.flags.json) {
      console.log(JSON.stringify({ root, stores }, null, 2));
      return EXIT.ok;
    }
    if (stores.length === 0) {
      console.log(`no teacher-output stores in ${root}`);
      return EXIT.ok;
    }
    console.log(`teacher-output stores in ${root}:`);
    for (const s of stores) {
      const use = s.inUse ? `, in use by process ${s.inUse.pid} on ${s.inUse.hostname}${s.inUse.run ? ` (run ${s.inUse.run})` : ''}` : s.usedAt ? `, last used ${s.usedAt}` : '';
      console.log(`  ${s.id}  ${s.dtype}, layers [${s.layers.join(', ')}], ${s.outputs} outputs in ${s.shards} shards, ${mib(s.bytes)} MiB, teacher ${s.teacher ?? '(unknown)'}${s.created ? `, since ${s.created}` : ''}${use}`);
      for (const p of s.problems) console.log(`    ${p}`);
    }
    const total = stores.reduce((a, s) => a + s.bytes, 0);
    console.log(`${stores.length} store${stores.length === 1 ? '' : 's'}, ${mib(total)} MiB; 'lrc-distill teacher-store remove <id>|--all' frees them (runs then compute the teacher again), 'teacher-store prune --max <size> --older-than <days>' the least recently used`);
    return EXIT.ok;
  }
  if (sub === 'remove') {
    const stores = listStores(root);
    const [ref] = rest;
    if (!ctx.flags.all && !ref) throw new UserError('teacher-store remove needs a store id (teacher-store list shows them) or --all', 'teacher-store');
    const chosen = ctx.flags.all ? stores : stores.filter((s) => s.id.startsWith(ref));
    if (!ctx.flags.all && chosen.length !== 1) {
      throw new UserError(`'${ref}' matches ${chosen.length === 0 ? 'no store' : `${chosen.length} stores`} in ${root}${stores.length ? ` (there: ${stores.map((s) => s.id).join(', ')})` : ''}`, 'teacher-store');
    }
    for (const s of chosen) {
      // Renamed aside first, so a run never sees half a folder: it reads the whole store or none.
      const aside = join(root, `.${s.id}.removing-${process.pid}`);
      renameSync(s.dir, aside);
      rmSync(aside, { recursive: true, force: true });
      console.log(`removed ${s.dir} (${mib(s.bytes)} MiB)`);
    }
    if (chosen.length === 0) console.log(`no teacher-output stores in ${root}`);
    return EXIT.ok;
  }
  if (sub === 'prune') return pruneCommand(ctx, root, rest);
  throw new UserError(`unknown teacher-store command '${sub}': expected list, remove or prune`, 'teacher-store');
}

/** teacher-store prune [--max <size>] [--older-than <days>]: the oldest stores not in use removed until the
 *  rest fit under the size (default --teacher-store-max / LRC_TEACHER_STORE_MAX), and every store not used
 *  for that many days; a store in use is kept and said so. */
function pruneCommand(ctx: CliContext, root: string, rest: string[]): number {
  if (rest.length) throw new UserError(`teacher-store prune takes no argument '${rest[0]}' (--max <size>, --older-than <days>)`, 'teacher-store');
  const max = ctx.flags.max !== undefined ? parseSize(ctx.flags.max, '--max') : resolveTeacherStoreMax(ctx.flags['teacher-store-max'])?.bytes;
  const days = ctx.flags['older-than'] !== undefined ? parseDays(ctx.flags['older-than'], '--older-than') : undefined;
  if (max === undefined && days === undefined) {
    throw new UserError('teacher-store prune needs a limit: --max <size> (e.g. 10G) and/or --older-than <days> (or --teacher-store-max / LRC_TEACHER_STORE_MAX)', 'teacher-store');
  }
  const outcome = pruneStores(root, { maxBytes: max, olderThanMs: days === undefined ? undefined : days * 86_400_000 });
  for (const r of outcome.removed) console.log(`removed ${r.dir} (${mib(r.bytes)} MiB, last used ${new Date(r.usedAt).toISOString()}: ${r.why})`);
  for (const s of outcome.inUse) console.log(`kept ${s.dir} (${mib(s.bytes)} MiB): in use by process ${s.user?.pid ?? '?'} on ${s.user?.hostname ?? '?'}${s.user?.run ? ` (run ${s.user.run})` : ''}`);
  console.log(`${outcome.removed.length} store${outcome.removed.length === 1 ? '' : 's'} removed; ${mib(outcome.bytesLeft)} MiB left in ${root}`);
  return EXIT.ok;
}
