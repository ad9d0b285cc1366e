// A task file read in time slices (a run's set-up) gives the dataset read at once, for each format, and
// the reading pauses on a file that takes more than a slice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readTableDataset, readTableDatasetInSlices } from '../../../trainer/data/tableDataset';
import { tempDir } from '../helpers/tempDir';

const dir = tempDir('lrc-table-slices-');
const texts = Array.from({ length: 60_000 }, (_, i) => `review ${i}: "quoted", a comma,${i % 7 === 0 ? '\nand a second line' : ''} the end`);
const files = {
  csv: ['text,label', ...texts.map((t, i) => `"${t.replace(/"/g, '""')}",${i % 3 === 0 ? 'pos' : 'neg'}`)].join('\n'),
  tsv: ['text\tlabel', ...texts.map((t, i) => `${t.replace(/\n/g, ' ')}\t${i % 3 === 0 ? 'pos' : 'neg'}`)].join('\n'),
  jsonl: texts.map((t, i) => JSON.stringify({ text: t, label: i % 3 === 0 ? 'pos' : 'neg' })).join('\n'),
};

for (const [format, content] of Object.entries(files)) {
  test(`${format}: read in slices, the same examples as read at once`, async () => {
    const path = join(dir, `train.${format}`);
    writeFileSync(path, content + '\n');
    const options = { columns: { text: 'text', label: 'label' } };
    let pauses = 0;
    const sliced = await readTableDatasetInSlices(path, options, async () => void pauses++);
    const once = readTableDataset(path, options);
    assert.equal(sliced.examples.length, 60_000);
    assert.deepEqual(sliced, once);
    if (format === 'csv') assert.ok(pauses >= 1, `${pauses} pauses reading 60,000 quoted rows`);
  });
}
