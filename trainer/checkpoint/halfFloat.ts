// IEEE half precision (F16) and bfloat16 (BF16) to and from float32, rounding to nearest, ties to even
// (as PyTorch's .half() and .bfloat16() do).

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** A 16-bit F16 pattern as a number: sign, 5 exponent bits (bias 15), 10 mantissa bits. */
export function float16BitsToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24; // zero and subnormals
  if (exponent === 31) return mantissa ? NaN : sign * Infinity;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

/** The F16 pattern nearest to a float32 value (ties to even); overflow gives infinity. */
export function numberToFloat16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exponent = (x >>> 23) & 0xff;
  const mantissa = x & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  const e = exponent - 127 + 15;
  if (e >= 31) return sign | 0x7c00;
  if (e <= 0) {
    // Subnormal in F16: the full 24-bit significand shifted down to units of 2^-24.
    const shift = 126 - exponent;
    if (shift > 24) return sign;
    const significand = mantissa | 0x800000;
    let half = sign | (significand >>> shift);
    const rest = significand & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rest > halfway || (rest === halfway && half & 1)) half += 1;
    return half;
  }
  let half = sign | (e << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && half & 1)) half += 1; // a carry may reach the exponent: still right
  return half;
}

let f16Table: Float32Array | undefined;

/** F16 patterns to float32, through a 65,536-entry table. */
export function float16ToFloat32(bits: Uint16Array): Float32Array {
  if (!f16Table) {
    f16Table = new Float32Array(65536);
    for (let i = 0; i < 65536; i++) f16Table[i] = float16BitsToNumber(i);
  }
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) out[i] = f16Table[bits[i]];
  return out;
}

export function float32ToFloat16(values: Float32Array): Uint16Array {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = numberToFloat16Bits(values[i]);
  return out;
}

/** BF16 patterns are the upper half of a float32. */
export function bfloat16ToFloat32(bits: Uint16Array): Float32Array {
  const wide = new Uint32Array(bits.length);
  for (let i = 0; i < bits.length; i++) wide[i] = bits[i] << 16;
  return new Float32Array(wide.buffer);
}

export function numberToBfloat16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0];
  if (Number.isNaN(value)) return ((x >>> 16) | 0x40) & 0xffff; // keep it a (quiet) NaN
  const lsb = (x >>> 16) & 1;
  return ((x + 0x7fff + lsb) >>> 16) & 0xffff;
}

export function float32ToBfloat16(values: Float32Array): Uint16Array {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = numberToBfloat16Bits(values[i]);
  return out;
}
