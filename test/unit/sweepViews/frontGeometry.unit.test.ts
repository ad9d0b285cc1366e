// The front chart's geometry (webview/sweep/frontGeometry.ts) against values worked out by hand: the
// log scale and its ticks, the linear metric axis, error bars clamped to the plot, the front's
// staircase and the side of a label.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { errorSpan, frontSteps, labelSide, labelY, linearDomain, linearScale, logDomain, logScale, logTicks, logTickText, pathOf } from '../../../webview/sweep/frontGeometry';

const close = (a: number, b: number, eps = 1e-9) => assert.ok(Math.abs(a - b) < eps, `${a} is not ${b}`);

test('logScale: equal ratios are equal distances; the ends map to the ends', () => {
  const x = logScale(1, 100, 50, 250);
  close(x(1), 50);
  close(x(10), 150);
  close(x(100), 250);
  close(x(2) - x(1), x(20) - x(10));
  // A reversed range (y grows downwards) works the same way.
  const y = logScale(0.5, 8, 300, 0);
  close(y(0.5), 300);
  close(y(2), 150);
});

test('linearScale maps the domain onto the range, either way round', () => {
  const y = linearScale(0.5, 1, 200, 0);
  close(y(0.5), 200);
  close(y(0.75), 100);
  close(y(1), 0);
});

test('logDomain: padded in log space, at least a factor minRatio wide, positive values only', () => {
  const [lo, hi] = logDomain([1, 100], 0.1);
  close(Math.log10(lo), -0.2);
  close(Math.log10(hi), 2.2);
  // One value: centred, a factor 4 wide before padding.
  const [a, b] = logDomain([2], 0, 4);
  close(a, 1);
  close(b, 4);
  // Zero, negatives and NaN are left out; nothing at all is [1, 10].
  assert.deepEqual(logDomain([0, -3, Number.NaN], 0), [1, 10]);
  const [c, d] = logDomain([0, 10, 1000], 0);
  close(c, 10);
  close(d, 1000);
});

test('linearDomain: at least minWidth wide around the middle, then padded', () => {
  const [lo, hi] = linearDomain([0.8, 0.9], 0.02, 0.1);
  close(lo, 0.79);
  close(hi, 0.91);
  const [a, b] = linearDomain([0.85, 0.855, Number.NaN], 0.02, 0);
  close(a, 0.8425);
  close(b, 0.8625);
  assert.deepEqual(linearDomain([]), [0, 1]);
});

test('logTicks: 1-2-5 steps inside the range; powers of ten when too many; 1-2-3-5-7 or the ends when too few', () => {
  assert.deepEqual(logTicks(0.8, 30), [1, 2, 5, 10, 20]);
  assert.deepEqual(logTicks(0.3, 3000, 8), [1, 10, 100, 1000]);
  assert.deepEqual(logTicks(0.05, 0.6), [0.05, 0.1, 0.2, 0.5]);
  // Fewer than three of the 1-2-5 series: the denser 1-2-3-5-7 series.
  assert.deepEqual(logTicks(1.5, 9), [2, 3, 5, 7]);
  // Not two of those either: lo and hi, 2 significant digits.
  assert.deepEqual(logTicks(3.1, 4.6), [3.1, 4.6]);
  assert.deepEqual(logTicks(0, 10), []);
  assert.deepEqual(['0.05', '2', '20', '1k', '1.5k'], [0.05, 2, 20, 1000, 1500].map(logTickText));
});

test('errorSpan: mean ± sd in pixels, clamped into the axis range; none without an sd', () => {
  const x = linearScale(0, 10, 0, 100);
  assert.deepEqual(errorSpan(5, 1, x, 0, 10), [40, 60]);
  assert.deepEqual(errorSpan(1, 3, x, 0, 10), [0, 40]);
  assert.equal(errorSpan(5, null, x, 0, 10), undefined);
  assert.equal(errorSpan(5, 0, x, 0, 10), undefined);
  assert.equal(errorSpan(null, 1, x, 0, 10), undefined);
  // On a log axis mean - sd <= 0 has no place: it stops at the axis's low end.
  const lx = logScale(1, 100, 0, 200);
  const [a, b] = errorSpan(10, 12, lx, 1, 100)!;
  close(a, 0);
  close(b, lx(22));
});

test('frontSteps: a staircase from the fastest point, horizontal then vertical; pathOf writes it', () => {
  const pts = [{ x: 10, y: 90 }, { x: 40, y: 60 }, { x: 100, y: 20 }];
  assert.deepEqual(frontSteps(pts), [{ x: 10, y: 90 }, { x: 40, y: 90 }, { x: 40, y: 60 }, { x: 100, y: 60 }, { x: 100, y: 20 }]);
  assert.equal(pathOf(frontSteps(pts)), 'M10 90 L40 90 L40 60 L100 60 L100 20');
  // Speed-up on x: the fastest is on the right; the steps go leftwards the same way.
  assert.deepEqual(frontSteps([{ x: 100, y: 90 }, { x: 30, y: 50 }]), [{ x: 100, y: 90 }, { x: 30, y: 90 }, { x: 30, y: 50 }]);
  assert.deepEqual(frontSteps([{ x: 5, y: 5 }]), [{ x: 5, y: 5 }]);
  assert.deepEqual(frontSteps([]), []);
  assert.equal(pathOf([{ x: 1.234, y: 5.06 }]), 'M1.2 5.1');
});

test('labelSide: right of the mark unless the label would leave the box', () => {
  const box = { left: 0, right: 300, top: 0, bottom: 200 };
  assert.equal(labelSide(100, 80, box), 'start');
  assert.equal(labelSide(250, 80, box), 'end');
});

test('labelY: above the mark, below it when above would crowd the top of the box', () => {
  const box = { left: 0, right: 300, top: 20, bottom: 200 };
  assert.equal(labelY(100, 15, box), 85);
  assert.equal(labelY(40, 15, box), 63);
});
