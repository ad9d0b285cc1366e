// The front as markdown, CSV and an SVG chart, on the hand-made input of frontFixture.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { frontOf } from '../../../trainer/sweep/report/front';
import { parseRule } from '../../../trainer/sweep/report/frontRule';
import { frontCsv, frontMarkdown } from '../../../trainer/sweep/report/frontRender';
import { escapeXml, frontSvg, frontSvgName, linearTicks, logTicks } from '../../../trainer/sweep/report/frontSvg';
import { frontInput } from './frontFixture';

const front = () => frontOf(frontInput(), parseRule('fastest-within:1'));

test('markdown: one table per task, the teacher first, mean ± sd, the front and the recommendation with its reason', () => {
  const [spam, sts] = frontMarkdown(front()).map((s) => s.join('\n'));
  assert.match(spam, /^### Front: Spam \(accuracy of the exported model against the median latency at batch 1; mean ± sd over the seeds; rule fastest-within:1\)/);
  assert.match(spam, /\| teacher t-Spam \|  \|  \| 0\.9550 \| 20\.00 \| 24\.00 \| 1\.0x \|/);
  assert.match(spam, /\| 2x128 \| LRC \| 1, 2 \| 0\.9100 ± 0\.0141 \| 1\.10 ± 0\.14 \| 1\.32 ± 0\.17 \| 18\.2x \|/);
  assert.match(spam, /\| 4x312 \| LRC \| 1, 2 \| 0\.9500 ± 0\.0141 \| 4\.20 ± 0\.28 \|.*\| yes \| \*\*yes\*\* \|/);
  assert.match(spam, /\*\*Recommended: 4x312 · LRC\*\*: the fastest cell within 1 point\(s\) of the teacher \(95\.50\): 4x312 · LRC \(95\.00, 4\.20 ms\)\./);
  assert.match(spam, /- 4x312 · MSE: no serving cost measured/);
  assert.match(sts, /the best cell instead, 4x312 · LRC .*\(the rule is not met: a fallback\)\./);
});

test('CSV: one row per cell and per teacher, one per seed; NaN empty', () => {
  const { front: cells, front_seeds: seeds } = frontCsv(front());
  const rows = cells.trim().split('\n').map((l) => l.split(','));
  const header = rows[0];
  assert.deepEqual(header.slice(0, 6), ['task', 'role', 'shape', 'method', 'metric', 'score_n']);
  assert.ok(rows.slice(1).every((r) => r.length === header.length || cells.includes('"')), 'rectangular');
  const col = (name: string) => header.indexOf(name);
  const spamTeacher = rows.find((r) => r[0] === 'Spam' && r[1] === 'teacher')!;
  assert.equal(spamTeacher[col('latency_ms_mean')], '20');
  const rec = rows.filter((r) => r[col('recommended')] === 'true').map((r) => `${r[0]} ${r[2]} ${r[3]}`);
  assert.deepEqual(rec, ['Spam 4x312 LRC', 'STS-B 4x312 LRC']);
  const unmeasured = rows.find((r) => r[0] === 'Spam' && r[2] === '4x312' && r[3] === 'MSE')!;
  assert.equal(unmeasured[col('latency_ms_mean')], '');
  assert.equal(unmeasured[col('on_front')], 'false');
  assert.equal(seeds.trim().split('\n').length, 1 + 13);
});

test('SVG: a mark per measured seed, a mean per plotted cell, error bars, the teacher line, the front, the recommended ring', () => {
  const spam = front().tasks[0];
  const svg = frontSvg(spam);
  assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"') && svg.trimEnd().endsWith('</svg>'));
  const count = (re: RegExp) => (svg.match(re) ?? []).length;
  assert.equal(count(/class="seed"/g), 6); // 3 measured cells x 2 seeds; the unmeasured cell has none
  assert.equal(count(/class="mean/g), 3);
  assert.equal(count(/class="mean on-front"/g), 2);
  assert.equal(count(/class="recommended"/g), 1);
  assert.equal(count(/class="teacher"/g), 1);
  assert.equal(count(/class="teacher-mark"/g), 1);
  assert.equal(count(/<polyline class="front"/g), 1);
  assert.ok(count(/class="error"/g) >= 4);
  assert.match(svg, /4x312 · MSE \(not plotted\)/);
  // the recommended ring is at the recommended cell's mean
  const mean = /<circle class="mean on-front" data-cell="2" cx="([\d.]+)" cy="([\d.]+)"/.exec(svg)!;
  assert.match(svg, new RegExp(`<circle class="recommended" cx="${mean[1]}" cy="${mean[2]}"`));
  // a faster cell is further left on the log axis
  const x = (i: number) => Number(new RegExp(`data-cell="${i}" cx="([\\d.]+)"`).exec(svg)![1]);
  assert.ok(x(0) < x(2));
  // nothing to plot: a message instead of axes
  const empty = frontSvg({ ...spam, cells: [], teacher: null, front: [] });
  assert.match(empty, /no cell has both a score and a serving latency/);
});

test('SVG helpers: ticks, names, escaping', () => {
  assert.deepEqual(logTicks(0.9, 11), [1, 2, 5, 10]);
  assert.deepEqual(logTicks(0.5, 600), [1, 10, 100]);
  assert.deepEqual(linearTicks(0.8, 0.9), [0.8, 0.82, 0.84, 0.86, 0.88, 0.9]);
  assert.equal(frontSvgName('STS-B'), 'front-STS-B.svg');
  assert.equal(frontSvgName('a b/c'), 'front-a_b_c.svg');
  assert.equal(frontSvgName(''), 'front.svg');
  assert.equal(escapeXml('<a & "b">'), '&lt;a &amp; &quot;b&quot;&gt;');
});

test('markdown of a sweep without any serving cost (an adopted one): one short section, no empty tables', () => {
  const input = frontInput();
  for (const r of input.runs) delete r.serving;
  for (const t of input.teachers) delete t.serving;
  const sections = frontMarkdown(frontOf(input, parseRule()));
  assert.equal(sections.length, 1);
  assert.match(sections[0].join('\n'), /^### Front\n\nNo serving cost was measured in this sweep, so there is no front: .*`lrc-distill sweep measure sw`/);
});
