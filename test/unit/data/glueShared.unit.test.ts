// Reads every GLUE file of the shared data folder and checks its row count against the official one
// (GLUE's own counts, as listed in the shared SOURCES.md). Skipped with a message when absent.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { readGlueSplit } from '../../../trainer/data/glueReader';
import { GLUE_TASKS } from '../../../trainer/data/glueTasks';
import { locateSharedData, sharedDataSkipMessage } from '../../../trainer/data/sharedData';

const shared = locateSharedData(resolve(__dirname, '../../..'));
const glue = shared && existsSync(join(shared, 'glue')) ? join(shared, 'glue') : undefined;

// Independent of glueTasks.ts: the official GLUE row counts.
const OFFICIAL: Record<string, number> = {
  'CoLA/train': 8551, 'CoLA/dev': 1043, 'SST-2/train': 67349, 'SST-2/dev': 872, 'MRPC/train': 3668, 'MRPC/dev': 408,
  'STS-B/train': 5749, 'STS-B/dev': 1500, 'QQP/train': 363846, 'QQP/dev': 40430, 'MNLI/train': 392702,
  'MNLI/dev_matched': 9815, 'MNLI/dev_mismatched': 9832, 'QNLI/train': 104743, 'QNLI/dev': 5463,
  'RTE/train': 2490, 'RTE/dev': 277, 'WNLI/train': 635, 'WNLI/dev': 71,
};

for (const task of Object.values(GLUE_TASKS)) {
  for (const split of task.splits) {
    const key = `${task.folder}/${split}`;
    const file = glue && join(glue, `${key}.tsv`);
    const skip = !glue ? sharedDataSkipMessage('glue/') : !existsSync(file!) ? `skipped: ${key}.tsv is not in ${glue}` : false;
    test(`GLUE ${key}.tsv has the official ${OFFICIAL[key]} rows`, { skip }, () => {
      const d = readGlueSplit(glue!, task.name, split);
      assert.equal(d.examples.length, OFFICIAL[key]);
      assert.equal(task.rowCounts[split], OFFICIAL[key]);
      if (d.kind === 'classification') {
        const seen = new Set(d.examples.map((e) => e.label));
        assert.equal(seen.size, task.labels.length, `every class of ${task.name} occurs`);
      }
    });
  }
}
