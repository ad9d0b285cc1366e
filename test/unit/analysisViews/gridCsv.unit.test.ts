// CSV export of a step's grids: the exact text for a tiny step, written out by hand; quoting.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { csvField, gridCsv } from '../../../webview/heatmap/gridCsv';
import type { HeatmapStepView } from '../../../webview/heatmap/protocol';

test('one row per student, student layer and teacher layer; missing values empty; the mapped pair marked', () => {
  const step: HeatmapStepView = {
    step: 120,
    stage: 2,
    teacherLayers: 1,
    sides: {
      lrc: {
        role: 'lrc', runId: 'r-lrc', sourceStep: 120, layers: 1, mapping: [{ student: 1, teacher: 1 }], rows: ['none', 'projected'],
        angular: [[null, null], [0.5, 0.25]], mse: [[null, null], [1.5, 0.125]], examples: 872,
      },
      mse: {
        role: 'mse', runId: 'r-mse', sourceStep: 100, layers: 1, mapping: [{ student: 1, teacher: 1 }], rows: ['identity', 'projected'],
        angular: [[0.75, 1], [0.5, 0.375]], mse: [[2, 3], [0.5, 0.0625]], examples: 872,
      },
    },
  };
  assert.equal(gridCsv(step), [
    'run,student,step,source_step,stage,student_layer,teacher_layer,angular_distance,mse,mapped,row,examples',
    'r-lrc,lrc,120,120,2,0,0,,,false,none,872',
    'r-lrc,lrc,120,120,2,0,1,,,false,none,872',
    'r-lrc,lrc,120,120,2,1,0,0.5,1.5,false,projected,872',
    'r-lrc,lrc,120,120,2,1,1,0.25,0.125,true,projected,872',
    'r-mse,mse,120,100,2,0,0,0.75,2,false,identity,872',
    'r-mse,mse,120,100,2,0,1,1,3,false,identity,872',
    'r-mse,mse,120,100,2,1,0,0.5,0.5,false,projected,872',
    'r-mse,mse,120,100,2,1,1,0.375,0.0625,true,projected,872',
    '',
  ].join('\n'));
});

test('a field with a comma, a quote or a line break is quoted, its quotes doubled', () => {
  assert.equal(csvField('plain'), 'plain');
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('two\nlines'), '"two\nlines"');
  assert.equal(csvField(null), '');
  assert.equal(csvField(1.5), '1.5');
});
