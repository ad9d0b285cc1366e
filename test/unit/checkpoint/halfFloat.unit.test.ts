// F16 and BF16 conversions against values worked out by hand from the bit patterns.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bfloat16ToFloat32, float16BitsToNumber, float16ToFloat32, numberToBfloat16Bits, numberToFloat16Bits } from '../../../trainer/checkpoint/halfFloat';

test('F16 patterns: 1, -2, 1/3, largest, subnormals, infinities, NaN, -0', () => {
  assert.equal(float16BitsToNumber(0x3c00), 1); // exponent 15 -> 2^0
  assert.equal(float16BitsToNumber(0xc000), -2); // sign, exponent 16
  assert.equal(float16BitsToNumber(0x3555), 1365 / 4096); // 2^-2 * (1 + 341/1024) = 0.333251953125
  assert.equal(float16BitsToNumber(0x7bff), 65504); // 2^15 * (1 + 1023/1024)
  assert.equal(float16BitsToNumber(0x0001), 2 ** -24); // smallest subnormal
  assert.equal(float16BitsToNumber(0x03ff), 1023 * 2 ** -24); // largest subnormal
  assert.equal(float16BitsToNumber(0x0400), 2 ** -14); // smallest normal
  assert.equal(float16BitsToNumber(0x7c00), Infinity);
  assert.equal(float16BitsToNumber(0xfc00), -Infinity);
  assert.ok(Number.isNaN(float16BitsToNumber(0x7e00)));
  assert.ok(Object.is(float16BitsToNumber(0x8000), -0));
  assert.deepEqual(Array.from(float16ToFloat32(Uint16Array.from([0x3c00, 0x3555, 0x0001]))), [1, 1365 / 4096, 2 ** -24]);
});

test('float32 -> F16 rounds to nearest, ties to even; overflow to infinity, underflow to zero', () => {
  assert.equal(numberToFloat16Bits(1), 0x3c00);
  assert.equal(numberToFloat16Bits(1 / 3), 0x3555); // 0.33325 is nearer than 0x3556 = 0.33349
  assert.equal(numberToFloat16Bits(-2), 0xc000);
  assert.equal(numberToFloat16Bits(1 + 2 ** -11), 0x3c00); // halfway between 0x3c00 and 0x3c01: even
  assert.equal(numberToFloat16Bits(1 + 3 * 2 ** -11), 0x3c02); // halfway between 0x3c01 and 0x3c02: even
  assert.equal(numberToFloat16Bits(65519), 0x7bff);
  assert.equal(numberToFloat16Bits(65520), 0x7c00); // halfway to 65536: rounds up to infinity
  assert.equal(numberToFloat16Bits(2 ** -24), 0x0001);
  assert.equal(numberToFloat16Bits(0.75 * 2 ** -24), 0x0001);
  assert.equal(numberToFloat16Bits(2 ** -25), 0x0000); // halfway between 0 and 2^-24: even (0)
  assert.equal(numberToFloat16Bits(1.5 * 2 ** -24), 0x0002); // halfway between 1 and 2 units: even (2)
  assert.equal(numberToFloat16Bits(1023.5 * 2 ** -24), 0x0400); // rounds up out of the subnormals
  assert.equal(numberToFloat16Bits(-Infinity), 0xfc00);
  assert.equal(numberToFloat16Bits(NaN) & 0x7e00, 0x7e00);
  assert.equal(numberToFloat16Bits(-0), 0x8000);
});

test('BF16 patterns: the upper 16 bits of a float32', () => {
  assert.deepEqual(Array.from(bfloat16ToFloat32(Uint16Array.from([0x3f80, 0x4049, 0xc2f7, 0x0001, 0x7f80]))), [
    1, // exponent 127
    3.140625, // 2 * (1 + 73/128)
    -123.5, // -(2^6) * (1 + 119/128)
    2 ** -133, // smallest subnormal
    Infinity,
  ]);
});

test('float32 -> BF16 rounds to nearest, ties to even', () => {
  assert.equal(numberToBfloat16Bits(1), 0x3f80);
  assert.equal(numberToBfloat16Bits(1 / 3), 0x3eab); // float32 0x3EAAAAAB: lower half 0xAAAB > 0x8000, round up
  assert.equal(numberToBfloat16Bits(Math.PI), 0x4049); // float32 0x40490FDB: lower half 0x0FDB, round down
  assert.equal(numberToBfloat16Bits(1 + 2 ** -8), 0x3f80); // exactly halfway, 0x3f80 is even
  assert.equal(numberToBfloat16Bits(1 + 3 * 2 ** -8), 0x3f82); // halfway between 0x3f81 and 0x3f82: even
  assert.equal(numberToBfloat16Bits(-123.5), 0xc2f7);
  assert.equal(numberToBfloat16Bits(NaN) & 0x7fc0, 0x7fc0);
});
