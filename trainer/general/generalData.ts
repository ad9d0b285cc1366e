// What the session loop needs of a general run's data: the tokenizer (the teacher's folder, or the
// config's), the held-out passages as the evaluation set, and the corpus feed of training batches. There
// is no training set in memory: `train` is empty and every training batch comes from the feed.
import type { RunConfig } from '../config/runConfig';
import { resolveTokenizer, type TaskData } from '../session/taskData';
import { openCorpus, type CorpusFeed, type CorpusFeedState } from './corpusFeed';
import { nextTurn, type Pause } from '../util/timeSlices';

/** `pause`: between the time slices of the corpus's counting pass (a run's set-up point). */
export async function loadGeneralData(config: RunConfig, runDir: string, teacherFolder: string, saved: CorpusFeedState | undefined, log: (m: string) => void, pause: Pause = nextTurn): Promise<{ data: TaskData; feed: CorpusFeed }> {
  if (config.data.task !== 'corpus') throw new Error(`a general run reads a corpus, not data.task ${config.data.task}`);
  const none = { name: 'corpus', kind: 'classification' as const, labelNames: [], examples: [], source: config.data.paths.join(', ') };
  const { tokenizer, folder } = await resolveTokenizer(config, runDir, teacherFolder, none, log, pause);
  const corpus = await openCorpus(config.data, { tokenizer, maxLength: config.maxLength, batchSize: config.optim.batchSize, saved, log, pause });
  const data: TaskData = {
    train: { dataset: none, maxLength: config.maxLength, padId: tokenizer.vocab.padId, examples: [] },
    dev: corpus.dev,
    tokenizer,
    tokenizerFolder: folder,
    labelNames: [],
    kind: 'classification',
  };
  return { data, feed: corpus.feed };
}
