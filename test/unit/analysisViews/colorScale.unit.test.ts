// The heatmap's colour scale and number helpers, against values worked out by hand.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { colorOf, luminance, niceCeiling, rgbCss, textColorOn, ticks, viridis } from '../../../webview/heatmap/colorScale';

test('viridis: its end colours at 0 and 1, a stop exactly, and halfway between two stops', () => {
  assert.deepEqual(viridis(0), [0x44, 0x01, 0x54]);
  assert.deepEqual(viridis(1), [0xfd, 0xe7, 0x25]);
  assert.deepEqual(viridis(4 / 9), [0x26, 0x82, 0x8e]);
  // t = 0.5 is halfway from stop 4 (#26828e) to stop 5 (#1f9e89): (38+31)/2, (130+158)/2, (142+137)/2, rounded
  assert.deepEqual(viridis(0.5), [35, 144, 140]);
});

test('colorOf: the angular scale 0..2 is fixed, values outside are clamped, a missing value has no colour', () => {
  assert.deepEqual(colorOf(1, 0, 2), [35, 144, 140]);
  assert.deepEqual(colorOf(0, 0, 2), [0x44, 0x01, 0x54]);
  assert.deepEqual(colorOf(2, 0, 2), [0xfd, 0xe7, 0x25]);
  assert.deepEqual(colorOf(-0.5, 0, 2), [0x44, 0x01, 0x54]);
  assert.deepEqual(colorOf(7, 0, 2), [0xfd, 0xe7, 0x25]);
  assert.equal(colorOf(null, 0, 2), undefined);
  assert.equal(colorOf(Number.NaN, 0, 2), undefined);
  assert.equal(rgbCss([1, 2, 3]), 'rgb(1, 2, 3)');
});

test('text on a cell: white on viridis\'s dark end, black on its bright end', () => {
  assert.equal(textColorOn(viridis(0)), '#ffffff');
  assert.equal(textColorOn(viridis(1)), '#000000');
  assert.ok(Math.abs(luminance([255, 255, 255]) - 1) < 1e-12);
  assert.equal(luminance([0, 0, 0]), 0);
});

test('niceCeiling: the next 1, 2, 2.5 or 5 times a power of ten; ticks from min to max', () => {
  assert.equal(niceCeiling(0.0234), 0.025);
  assert.equal(niceCeiling(0.88), 1);
  assert.equal(niceCeiling(1), 1);
  assert.equal(niceCeiling(1.01), 2);
  assert.equal(niceCeiling(3.2), 5);
  assert.equal(niceCeiling(420), 500);
  assert.equal(niceCeiling(0), 1);
  assert.equal(niceCeiling(Number.NaN), 1);
  assert.deepEqual(ticks(0, 2, 5), [0, 0.5, 1, 1.5, 2]);
  assert.deepEqual(ticks(0, 0.025, 6), [0, 0.005, 0.01, 0.015, 0.02, 0.025]);
});
