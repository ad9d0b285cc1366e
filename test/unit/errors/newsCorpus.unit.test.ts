// The new user's example of issue 16: a 4-class news corpus distributed as `text<TAB>label` lines with
// no header. With --no-header and columns 0 and 1 it trains and exports, the labels named in config.json;
// without --no-header the one-line error says to use it, exit 2, and the failed run says the same.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SeededRandom } from '../../../trainer/util/random';
import { tempDir } from '../helpers/tempDir';
import { SHAPE, TINY } from './catalogue';
import { cli, STACK_LINE } from './cliRun';

const TOPICS: Record<string, string[]> = {
  World: ['minister', 'election', 'border', 'treaty', 'summit', 'embassy'],
  Sports: ['match', 'goal', 'coach', 'season', 'league', 'striker'],
  Business: ['shares', 'profit', 'market', 'merger', 'investors', 'bank'],
  'Sci/Tech': ['software', 'chip', 'space', 'internet', 'research', 'browser'],
};
const FILLER = ['the', 'a', 'after', 'new', 'report', 'says', 'on', 'week', 'over', 'as'];

/** Headlines of a few filler words and two words of their topic, `n` of each class, classes interleaved. */
function headlines(r: SeededRandom, n: number): string {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    for (const [label, words] of Object.entries(TOPICS)) {
      const text = [...Array.from({ length: 5 }, () => FILLER[Math.floor(r.next() * FILLER.length)]), words[Math.floor(r.next() * 6)], words[Math.floor(r.next() * 6)]];
      lines.push(`${r.shuffle(text).join(' ')}\t${label}`);
    }
  }
  return lines.join('\n') + '\n';
}

function newsFiles(dir: string): void {
  const r = new SeededRandom(16);
  writeFileSync(join(dir, 'news.tsv'), headlines(r, 12));
  writeFileSync(join(dir, 'news-dev.tsv'), headlines(r, 4));
}

const COMMAND = ['train-teacher', '--task', 'file', '--train', 'news.tsv', '--dev', 'news-dev.tsv', '--text-column', '0', '--label-column', '1'];

test('news corpus with --no-header: trains and exports, the four labels named in config.json', () => {
  const dir = tempDir('lrc-news-');
  newsFiles(dir);
  const r = cli([...COMMAND, '--no-header', ...SHAPE, ...TINY], dir);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const id = /teacher run (\S+): finished/.exec(r.stdout)?.[1];
  assert.ok(id, r.stdout);
  const run = join(dir, '.lrc', 'runs', id);
  const config = JSON.parse(readFileSync(join(run, 'export', 'config.json'), 'utf8')) as { num_labels?: number; id2label: Record<string, string>; label2id: Record<string, number> };
  assert.deepEqual(config.id2label, { 0: 'World', 1: 'Sports', 2: 'Business', 3: 'Sci/Tech' }, 'the labels in order of first appearance');
  assert.deepEqual(config.label2id, { World: 0, Sports: 1, Business: 2, 'Sci/Tech': 3 });
  const runConfig = JSON.parse(readFileSync(join(run, 'config.json'), 'utf8')) as { data: { header: boolean; columns: { text: string; label: string } } };
  assert.equal(runConfig.data.header, false);
  assert.deepEqual(runConfig.data.columns, { text: '0', label: '1' });
  // every line is an example: 48 for training, 16 to evaluate on
  assert.match(r.stdout, /48 training examples/);
  const evaluation = cli(['eval', id, '--json'], dir);
  assert.equal(evaluation.code, 0, evaluation.stderr);
  assert.equal((JSON.parse(evaluation.stdout) as { examples: number }).examples, 16);
});

test('news corpus without --no-header: one line that says to use it, exit 2, and the failed run says the same', () => {
  const dir = tempDir('lrc-news-');
  newsFiles(dir);
  const r = cli([...COMMAND, ...SHAPE, ...TINY], dir);
  assert.equal(r.code, 2, r.stderr + r.stdout);
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.doesNotMatch(r.stderr + r.stdout, STACK_LINE);
  assert.match(lines[0], /^lrc-distill: \/.*news\.tsv:1: columns\.text: expected a column of the header line \(.*\), found "0"; .*use --no-header \(header: false in the run config's data\)/);
  const [id] = readdirSync(join(dir, '.lrc', 'runs'));
  const record = JSON.parse(readFileSync(join(dir, '.lrc', 'runs', id, 'run.json'), 'utf8')) as { status: string; error: { message: string } };
  assert.equal(record.status, 'failed');
  assert.equal(`lrc-distill: ${record.error.message}`, lines[0]);
});
