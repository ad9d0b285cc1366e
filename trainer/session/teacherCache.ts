// The teacher-output cache of a distillation run (lrc, mse): what the settings decide for the run's
// training set, the cache handed to the DistillCore (its training step alone uses it; evaluation and
// analysis keep the real teacher) with the store on disk behind it, and the lines and metrics.jsonl
// records that report them.
// Both losses read the same teacher outputs: the hidden states of the mapped teacher layers (COS-NCE and
// the MSE baseline's hidden loss alike) and the logits (L_soft); neither reads the embedding output nor
// the attentions, and the teacher runs in eval mode, so the cache serves mse runs as well as lrc ones.
import { existsSync } from 'node:fs';
import { TeacherOutputCache } from '../perf/teacherOutputCache';
import { describeTeacherCache, estimateTeacherCacheBytesOf, planTeacherCache, type TeacherCacheSetting } from '../perf/teacherCacheSetting';
import { teacherFingerprintSteps, type TeacherFingerprint } from '../perf/teacherFingerprint';
import { finishInSlices, nextTurn, type Pause, type Steps } from '../util/timeSlices';
import { TeacherOutputStore, teacherStoreDir } from '../perf/teacherOutputStore';
import { pruneStores, storesOnDisk } from '../perf/teacherStoreLimits';
import { describeTeacherStore, storeCapBytes, storeWrites, teacherStoreFolder, type TeacherStoreSetting } from '../perf/teacherStoreSetting';
import type { DistillCore } from './trainingCore';

const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(bytes < 10 * 2 ** 20 ? 2 : 0);

export interface TeacherCacheReport {
  message: string;
  /** The fields of a `teacherCache` record of metrics.jsonl. */
  record: Record<string, unknown>;
}

export interface TeacherStoreContext {
  setting: TeacherStoreSetting;
  /** The runs folder: 'auto' puts the store beside it. */
  runsDir: string;
  /** The backend computing the teacher (part of the store's fingerprint). */
  backend: string;
  /** Where the teacher comes from, for store.json. */
  teacherSource?: string;
  /** The run belongs to a sweep ('auto' writes the store then). */
  inSweep: boolean;
  warn: (message: string) => void;
  /** What the run's log says (the stores pruned to keep under --teacher-store-max). */
  info?: (message: string) => void;
  /** The run, named in the store's in-use marker. */
  runId?: string;
}

/** Gives `core` its cache (memory, and the store on disk unless it is off); says what was decided. The
 *  teacher's fingerprint (every weight hashed) is taken in time slices, `pause` between them. */
export function startTeacherCache(setting: TeacherCacheSetting, core: DistillCore, train: { examples: number; tokens: number }, storeContext?: TeacherStoreContext, pause: Pause = nextTurn): Promise<TeacherCacheReport[]> {
  return finishInSlices(teacherCacheSteps(setting, core, train, storeContext), pause);
}

function* teacherCacheSteps(setting: TeacherCacheSetting, core: DistillCore, train: { examples: number; tokens: number }, storeContext?: TeacherStoreContext): Steps<TeacherCacheReport[]> {
  const layers = [...new Set(core.distillation.mapping.map((p) => p.teacher))].sort((a, b) => a - b);
  const teacher = core.distillation.teacher;
  const estimateBytes = estimateTeacherCacheBytesOf(train, { layers: layers.length, hidden: teacher.config.hidden_size, labels: teacher.config.num_labels });
  const plan = planTeacherCache(setting, estimateBytes);
  const storeSetting = storeContext?.setting;
  const dtype = storeSetting && storeSetting.mode !== 'off' ? storeSetting.dtype : 'float32';
  const store = storeContext && (yield* openStoreSteps(storeContext, { inSweep: storeContext.inSweep, overflowsMemory: plan.enabled && !plan.fits }, () => teacherFingerprintSteps(teacher, { layers, backend: storeContext.backend, dtype, source: storeContext.teacherSource })));
  const reports: TeacherCacheReport[] = [];
  const record = { event: 'start', setting: describeTeacherCache(setting), layers, ...plan };
  if (plan.enabled || store) core.useTeacherCache(new TeacherOutputCache({ layers, maxBytes: plan.enabled ? plan.budgetBytes : 0, store, float16: dtype === 'float16' }));
  if (!plan.enabled) {
    reports.push({ message: `teacher-output cache ${describeTeacherCache(setting)}: ${store ? 'nothing kept in memory' : 'the teacher runs at every step'}`, record });
  } else {
    const need = `teacher layers [${layers.join(', ')}] of ${train.examples} training examples need ${mib(estimateBytes)} MiB, budget ${mib(plan.budgetBytes)} MiB`;
    const fit = plan.fits
      ? 'all fit: from the second epoch on, the teacher does not run'
      : `partial: about ${Math.floor((100 * plan.budgetBytes) / estimateBytes)}% of the examples fit in memory, ${store ? 'the store serves the others' : 'the teacher runs on the others at every step'}`;
    reports.push({ message: `teacher-output cache ${describeTeacherCache(setting)}: ${need}; ${fit}`, record });
  }
  if (storeSetting) {
    const st = store?.stats();
    const storeRecord = { event: 'store', setting: describeTeacherStore(storeSetting), dir: store?.dir, ...st };
    const message = store && st
      ? `teacher-output store ${describeTeacherStore(storeSetting)}: ${store.dir}, ${st.entries} outputs of this teacher already there (${mib(st.bytes)} MiB)${dtype === 'float16' ? '; the teacher\'s hidden states are rounded to float16' : ''}`
      : `teacher-output store ${describeTeacherStore(storeSetting)}: ${storeSetting.mode === 'off' ? 'nothing read or written' : 'none for this teacher, and this run writes none (it is in no sweep, and its teacher outputs fit in memory or its memory cache is off)'}`;
    reports.push({ message, record: storeRecord });
  }
  return reports;
}

/** The store a run reads and perhaps writes, or undefined: off, nothing to read and nothing to write, or
 * a folder that cannot be used (said as a warning: a store never fails a run). */
function* openStoreSteps(context: TeacherStoreContext, run: { inSweep: boolean; overflowsMemory: boolean }, fingerprint: () => Steps<TeacherFingerprint>): Steps<TeacherOutputStore | undefined> {
  const { setting } = context;
  if (setting.mode === 'off') return undefined;
  const root = teacherStoreFolder(setting, context.runsDir)!;
  const write = storeWrites(setting, run);
  if (!write && !existsSync(root)) return undefined; // before the fingerprint: hashing a large teacher takes a second
  const fp = yield* fingerprint();
  if (!write && !existsSync(teacherStoreDir(root, fp))) return undefined;
  try {
    let maxBytes = storeCapBytes(root);
    if (write && setting.max) {
      // the stores together under --teacher-store-max: the oldest others not in use pruned first, and this
      // one written up to what the others leave
      const pruned = pruneStores(root, { maxBytes: setting.max.bytes, keep: [fp.id] });
      for (const r of pruned.removed) context.info?.(`teacher-output store: pruned ${r.dir} (${mib(r.bytes)} MiB, last used ${new Date(r.usedAt).toISOString()}) to keep the stores under ${mib(setting.max.bytes)} MiB (${setting.max.source})`);
      const mine = storesOnDisk(root).find((s) => s.id === fp.id)?.bytes ?? 0;
      maxBytes = Math.min(maxBytes, Math.max(0, setting.max.bytes - (pruned.bytesLeft - mine)));
    }
    return new TeacherOutputStore(root, fp, { dtype: setting.dtype, write, maxBytes, warn: context.warn, inUse: { run: context.runId } });
  } catch (e) {
    context.warn(`teacher-output store ${root}: cannot be used (${(e as Error).message}); the run goes on without it`);
    return undefined;
  }
}

/** The cache's counts so far (`event`: 'epoch' at an epoch's end, 'end' when the loop ends). At an
 * epoch's end the store writes what is pending and reads the shards other runs wrote meanwhile; at the
 * end it is closed. */
export function teacherCacheStats(core: DistillCore, event: 'epoch' | 'end', step: number, epoch: number): TeacherCacheReport | undefined {
  const cache = core.teacherCache;
  if (!cache) return undefined;
  const store = cache.store;
  if (store && event === 'epoch') {
    store.flush();
    store.refresh();
  }
  if (store && event === 'end') store.close();
  const s = cache.stats();
  const when = event === 'end' ? `at the end (step ${step})` : `after epoch ${epoch} (step ${step})`;
  const st = store?.stats();
  const onDisk = st ? `; store: ${s.storeHits} read, ${st.writes} written by this run, ${st.entries} outputs in ${st.shards} shards, ${mib(st.bytes)} MiB` : '';
  return {
    message: `teacher-output cache ${when}: ${s.hits} hits, ${s.misses} misses, ${s.entries} entries, ${mib(s.bytes)} MiB${onDisk}`,
    record: { event, epoch, ...s, ...(st ? { store: st } : {}) },
  };
}
