// The teacher-output cache of a distillation run (lrc, mse): what the setting decides for the run's
// training set, the cache handed to the DistillCore (its training step alone uses it; evaluation and
// analysis keep the real teacher), and the lines and metrics.jsonl records that report it.
// Both losses read the same teacher outputs: the hidden states of the mapped teacher layers (COS-NCE and
// the MSE baseline's hidden loss alike) and the logits (L_soft); neither reads the embedding output nor
// the attentions, and the teacher runs in eval mode, so the cache serves mse runs as well as lrc ones.
import type { TokenizedDataset } from '../data/batches';
import { TeacherOutputCache } from '../perf/teacherOutputCache';
import { describeTeacherCache, estimateTeacherCacheBytes, planTeacherCache, type TeacherCacheSetting } from '../perf/teacherCacheSetting';
import type { DistillCore } from './trainingCore';

const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(bytes < 10 * 2 ** 20 ? 2 : 0);

export interface TeacherCacheReport {
  message: string;
  /** The fields of a `teacherCache` record of metrics.jsonl. */
  record: Record<string, unknown>;
}

/** Gives `core` its cache when the setting allows one; says what was decided. */
export function startTeacherCache(setting: TeacherCacheSetting, core: DistillCore, train: TokenizedDataset): TeacherCacheReport {
  const layers = [...new Set(core.distillation.mapping.map((p) => p.teacher))].sort((a, b) => a - b);
  const teacher = core.distillation.teacher.config;
  const estimateBytes = estimateTeacherCacheBytes(train.examples, { layers: layers.length, hidden: teacher.hidden_size, labels: teacher.num_labels });
  const plan = planTeacherCache(setting, estimateBytes);
  const record = { event: 'start', setting: describeTeacherCache(setting), layers, ...plan };
  if (!plan.enabled) return { message: `teacher-output cache ${describeTeacherCache(setting)}: the teacher runs at every step`, record };
  core.useTeacherCache(new TeacherOutputCache({ layers, maxBytes: plan.budgetBytes }));
  const need = `teacher layers [${layers.join(', ')}] of ${train.examples.length} training examples need ${mib(estimateBytes)} MiB, budget ${mib(plan.budgetBytes)} MiB`;
  const fit = plan.fits
    ? 'all fit: from the second epoch on, the teacher does not run'
    : `partial: about ${Math.floor((100 * plan.budgetBytes) / estimateBytes)}% of the examples fit, the teacher runs on the others at every step`;
  return { message: `teacher-output cache ${describeTeacherCache(setting)}: ${need}; ${fit}`, record };
}

/** The cache's counts so far (`event`: 'epoch' at an epoch's end, 'end' when the loop ends). */
export function teacherCacheStats(core: DistillCore, event: 'epoch' | 'end', step: number, epoch: number): TeacherCacheReport | undefined {
  const cache = core.teacherCache;
  if (!cache) return undefined;
  const s = cache.stats();
  const when = event === 'end' ? `at the end (step ${step})` : `after epoch ${epoch} (step ${step})`;
  return {
    message: `teacher-output cache ${when}: ${s.hits} hits, ${s.misses} misses, ${s.entries} entries, ${mib(s.bytes)} MiB`,
    record: { event, epoch, ...s },
  };
}
