// The tables of docs/results.md come from `sweep report` of the adopted sweeps now; before, from
// experiments/summarize.mjs. Adopted from the committed records and results, the report prints the same
// numbers, to the printed digits: the rows below are today's docs/results.md lines (as summarize.mjs
// printed them), put together from the report's markdown tables.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { adoptRuns, readAdoptableRuns, writeAdoptedSweep } from '../../../trainer/sweep/adopt';
import { planSweep } from '../../../trainer/sweep/plan';
import { aggregateSweep } from '../../../trainer/sweep/report/aggregate';
import { reportMarkdown } from '../../../trainer/sweep/report/render';
import { reportInputOf } from '../../../trainer/sweep/reportInput';
import { readSweepFile } from '../../../trainer/sweep/sweepFile';
import { readSweep } from '../../../trainer/sweep/sweepStore';
import { tempDir } from '../helpers/tempDir';

const experiments = join(__dirname, '..', '..', '..', 'experiments');
const home = tempDir('lrc-adopt-docs-');

/** `sweep adopt experiments/sweeps/<name>.sweep.json --results experiments/results-<name>`, then `sweep report <name>`. */
function report(name: string): string {
  const file = join(experiments, 'sweeps', `${name}.sweep.json`);
  const spec = readSweepFile(file);
  const plan = planSweep(spec, file, name);
  const resultsDir = join(experiments, `results-${name}`);
  const recordsDir = join(experiments, 'records');
  const adoption = adoptRuns(plan, readAdoptableRuns(resultsDir, recordsDir), file);
  const { dir } = writeAdoptedSweep(join(home, 'sweeps'), { plan, file, cwd: home, runsDir: join(home, 'runs'), executor: 'local', slurm: spec.slurm, adoption, recordsDir, resultsDir });
  return reportMarkdown(aggregateSweep(reportInputOf(readSweep(dir))));
}

/** The body rows of the report's table whose heading starts with `heading`, as cells. */
function table(md: string, heading: string, nth = 0): string[][] {
  const block = md.split('\n\n### ').filter((b) => b.startsWith(heading))[nth];
  assert.ok(block, `no table "${heading}"`);
  return block.split('\n').filter((l) => l.startsWith('| ')).slice(1).map((l) => l.slice(2, -2).split(' | '));
}
const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
const find = (rows: string[][], ...lead: string[]) => {
  const r = rows.find((x) => lead.every((v, i) => x[i] === v));
  assert.ok(r, `no row ${lead.join(' | ')}`);
  return r;
};

/** A headline row of docs/results.md: the LRC - MSE comparison of one task, with the student alone's cell. */
function headline(md: string, task: string, label = task, levels = { lrc: 'LRC', mse: 'MSE', alone: 'alone' }): string {
  const [, , metric, seeds, teacher, lrc, mse, gap, ahead, lastGap] = find(table(md, 'Comparisons on method'), `${levels.lrc} - ${levels.mse}`, task);
  const alone = find(table(md, 'Cells'), task, levels.alone);
  return row([label, metric, seeds, teacher, lrc, mse, alone[6], gap, ahead, lastGap, alone[10]]);
}

const glueMain = report('glue-main');

test('section 1, the headline: every task, as today', () => {
  assert.deepEqual(['SST-2', 'MRPC', 'CoLA', 'RTE', 'STS-B', 'SpamAssassin'].map((t) => headline(glueMain, t)), [
    '| SST-2 | accuracy | 7, 13, 42 | 0.8073 | 0.8028 ± 0.0011 | 0.8066 ± 0.0037 | 0.8012 ± 0.0054 | -0.38 ± 0.26 pt | 0 of 3 | -0.15 ± 0.35 pt | 0.61 pt |',
    '| MRPC | glue | 7, 42 | 0.7275 | 0.7308 ± 0.0015 | 0.7368 ± 0.0026 | 0.7453 ± 0.0053 | -0.59 ± 0.10 pt | 0 of 2 | -0.60 ± 0.11 pt | -1.78 pt |',
    '| CoLA | matthews_correlation | 7, 13, 42 | 0.1176 | 0.0870 ± 0.0098 | 0.0742 ± 0.0103 | 0.1080 ± 0.0176 | 1.28 ± 1.22 pt | 3 of 3 | 1.04 ± 0.48 pt | 0.96 pt |',
    '| RTE | accuracy | 7, 13, 42 | 0.5090 | 0.4994 ± 0.0292 | 0.5066 ± 0.0240 | 0.5150 ± 0.0246 | -0.72 ± 0.96 pt | 0 of 3 | -0.36 ± 0.63 pt | -0.60 pt |',
    '| STS-B | glue | 7, 13, 42 | 0.1804 | 0.1736 ± 0.0036 | 0.1767 ± 0.0027 | 0.2011 ± 0.0212 | -0.31 ± 0.63 pt | 1 of 3 | -0.25 ± 0.77 pt | -2.08 pt |',
    '| SpamAssassin | accuracy | 7, 13, 42 | 0.9727 | 0.9730 ± 0.0027 | 0.9736 ± 0.0031 | 0.9707 ± 0.0021 | -0.06 ± 0.13 pt | 1 of 3 | -0.06 ± 0.13 pt | 0.20 pt |',
  ]);
});

test('section 1, seed by seed, of the exported models and at the last step: CoLA and STS-B as today', () => {
  const lines = (at: 0 | 1, task: string) => {
    const side = table(glueMain, 'method side by side', at).filter((r) => r[0] === task);
    const pairs = table(glueMain, 'LRC - MSE: LRC - MSE on method').filter((r) => r[0] === task);
    return side.map((s, i) => {
      const seed = s[2] === 'mean ± sd' ? pairs[i][2] : s[2];
      const gap = s[2] === 'mean ± sd' ? `**${pairs[i][at === 0 ? 5 : 6].replace(/^\*\*|\*\*$/g, '')}**` : pairs[i][at === 0 ? 5 : 6];
      return row([task, s[1], seed, s[3], s[4], gap, s[5], s[6]]);
    });
  };
  assert.deepEqual(lines(0, 'CoLA'), [
    '| CoLA | matthews_correlation | 7 | 0.0959 | 0.0696 | 2.63 pt | 0.1046 | 0.1176 |',
    '| CoLA | matthews_correlation | 13 | 0.0885 | 0.0860 | 0.25 pt | 0.1270 | 0.1176 |',
    '| CoLA | matthews_correlation | 42 | 0.0766 | 0.0670 | 0.96 pt | 0.0924 | 0.1176 |',
    '| CoLA | matthews_correlation | mean ± sd (3) | 0.0870 ± 0.0098 | 0.0742 ± 0.0103 | **1.28 ± 1.22 pt** | 0.1080 ± 0.0176 | 0.1176 |',
  ]);
  assert.deepEqual(lines(1, 'STS-B'), [
    '| STS-B | glue | 7 | 0.1673 | 0.1787 | -1.14 pt | 0.1858 | 0.1597 |',
    '| STS-B | glue | 13 | 0.1765 | 0.1750 | 0.15 pt | 0.1681 | 0.1597 |',
    '| STS-B | glue | 42 | 0.1721 | 0.1698 | 0.23 pt | 0.1471 | 0.1597 |',
    '| STS-B | glue | mean ± sd (3) | 0.1720 ± 0.0046 | 0.1745 ± 0.0045 | **-0.25 ± 0.77 pt** | 0.1670 ± 0.0194 | 0.1597 |',
  ]);
});

test('section 2, students on a tenth of the labels and the demo\'s setting, as today', () => {
  assert.deepEqual([
    headline(report('lowlabel-sst2'), 'SST-2'),
    headline(report('lowlabel-cola'), 'CoLA'),
    headline(report('lowlabel-stsb'), 'STS-B'),
    headline(report('demo'), 'SpamAssassin', 'SpamAssassin, demo setting'),
  ], [
    '| SST-2 | accuracy | 7, 13, 42 | 0.8073 | 0.7764 ± 0.0064 | 0.7779 ± 0.0013 | 0.7156 ± 0.0072 | -0.15 ± 0.52 pt | 1 of 3 | -0.16 ± 0.52 pt | 9.17 pt |',
    '| CoLA | matthews_correlation | 7, 13, 42 | 0.1176 | 0.0447 ± 0.0237 | 0.0308 ± 0.0300 | -0.0175 ± 0.0154 | 1.39 ± 1.08 pt | 3 of 3 | 1.39 ± 1.08 pt | 13.51 pt |',
    '| STS-B | glue | 7, 13, 42 | 0.1804 | 0.2110 ± 0.0136 | 0.2040 ± 0.0108 | 0.1224 ± 0.0157 | 0.70 ± 0.55 pt | 3 of 3 | 0.70 ± 0.55 pt | 5.80 pt |',
    '| SpamAssassin, demo setting | accuracy | 7, 13, 42 | 0.9642 | 0.9545 ± 0.0020 | 0.9506 ± 0.0009 | 0.9412 ± 0.0009 | 0.40 ± 0.13 pt | 3 of 3 | 0.40 ± 0.13 pt | 2.30 pt |',
  ]);
});

test('section 3, the ablations on SST-2 and CoLA: per seed, mean ± sd and preset - full, as today', () => {
  const md = report('glue-ablations');
  const lines = (task: string) => ['full', 'no-cosnce', 'no-soft', 'no-hard', 'no-perturbation', 'single-stage'].map((level) => {
    const cell = find(table(md, 'Cells'), task, level);
    const perSeed = Object.fromEntries(cell[5].split(', ').map((x) => x.split(': ')));
    const diff = level === 'full' ? '-' : find(table(md, 'Comparisons on method'), `${level} - full`, task)[7];
    return row([level === 'full' ? 'full LRC' : level, ...['7', '13', '42'].map((s) => perSeed[s] ?? '-'), cell[6], diff]);
  });
  assert.deepEqual(lines('SST-2'), [
    '| full LRC | 0.8016 | 0.8039 | 0.8028 | 0.8028 ± 0.0011 | - |',
    '| no-cosnce | - | - | 0.5092 | 0.5092 | -29.36 pt |',
    '| no-soft | 0.7982 | 0.8039 | 0.8073 | 0.8031 ± 0.0046 | 0.04 ± 0.40 pt |',
    '| no-hard | 0.7959 | 0.8096 | 0.8028 | 0.8028 ± 0.0069 | -0.00 ± 0.57 pt |',
    '| no-perturbation | 0.7867 | 0.7982 | 0.8073 | 0.7974 ± 0.0103 | -0.54 ± 0.98 pt |',
    '| single-stage | 0.7970 | 0.8096 | 0.8005 | 0.8024 ± 0.0065 | -0.04 ± 0.54 pt |',
  ]);
  assert.deepEqual(lines('CoLA').slice(3), [
    '| no-hard | 0.1347 | - | 0.1106 | 0.1226 ± 0.0170 | 3.64 ± 0.33 pt |',
    '| no-perturbation | 0.1189 | - | 0.0752 | 0.0970 ± 0.0309 | 1.08 ± 1.72 pt |',
    '| single-stage | 0.1228 | - | 0.0966 | 0.1097 ± 0.0185 | 2.34 ± 0.48 pt |',
  ]);
});

test('the appendix, every run: parameters, eval speed, speed-up, best step and stage, the last step and train time, as today', () => {
  const rows = table(glueMain, 'Runs: accuracy, glue');
  // today: | RTE LRC 2x24 seed 42 | lrc | 0.5307 | 0.5307 | 104.3% | 0.76M (0.73M / 0.03M) | 798 | 8.4x | 400 (stage 1) / 936 | 0.4765 | - |
  assert.deepEqual(find(rows, 'RTE', 'LRC', '42').slice(4), ['lrc', 'finished', 'accuracy', '0.5307', '0.5307', '104.3%', '0.76M (0.73M / 0.03M)', '798', '8.4x', '400 (stage 1) / 936', '0.4765', '-']);
  // today: | RTE LRC 2x24 seed 13 | lrc | 0.4729 | 0.4729 | 92.9% | 0.76M (0.73M / 0.03M) | 610 | 6.4x | 800 / 936 | 0.4729 | 7.6 min |
  assert.deepEqual(find(rows, 'RTE', 'LRC', '13').slice(7), ['0.4729', '0.4729', '92.9%', '0.76M (0.73M / 0.03M)', '610', '6.4x', '800 / 936', '0.4729', '7.6 min']);
  // today: | SST-2 teacher 4x128 | teacher | 0.8073 | 0.8073 | 100.0% | 4.78M (3.91M / 0.88M) | 287 | 1.0x | 1200 / 2500 | 0.8050 | - |
  assert.deepEqual(find(rows, 'SST-2', 'teacher').slice(7), ['0.8073', '0.8073', '100.0%', '4.78M (3.91M / 0.88M)', '287', '1.0x', '1200 / 2500', '0.8050', '-']);
  const spam = table(glueMain, 'Runs: accuracy, f1, matthews_correlation');
  // today: | Spam LRC 2x24 seed 13 | lrc | 0.9719 | 0.9520 | 0.9327 | 99.9% | 0.76M (0.73M / 0.03M) | 1364 | 6.0x | 588 / 588 | 0.9719 | 2.6 min |
  assert.deepEqual(find(spam, 'SpamAssassin', 'LRC', '13').slice(7), ['0.9719', '0.9520', '0.9327', '99.9%', '0.76M (0.73M / 0.03M)', '1364', '6.0x', '588 / 588', '0.9719', '2.6 min']);
});
