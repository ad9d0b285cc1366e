// The heatmap's colour scale: viridis (perceptually uniform, readable for colour-blind people and in
// light and dark themes) over a fixed range, 0..2 for the angular distance. Pure functions, no DOM.

export type Rgb = readonly [number, number, number];

/** Viridis at t = 0, 1/9, ..., 1 (matplotlib's map); between two stops the colour is interpolated. */
export const VIRIDIS_STOPS: readonly Rgb[] = [
  [0x44, 0x01, 0x54],
  [0x48, 0x28, 0x78],
  [0x3e, 0x4a, 0x89],
  [0x31, 0x68, 0x8e],
  [0x26, 0x82, 0x8e],
  [0x1f, 0x9e, 0x89],
  [0x35, 0xb7, 0x79],
  [0x6d, 0xcd, 0x59],
  [0xb4, 0xde, 0x2c],
  [0xfd, 0xe7, 0x25],
];

/** The angular distance g = 1 - cos lies in 0..2: its scale is fixed, so steps and runs compare. */
export const ANGULAR_RANGE = { min: 0, max: 2 } as const;

/** The colour at t in 0..1 (clamped). */
export function viridis(t: number): Rgb {
  const x = Math.min(1, Math.max(0, t)) * (VIRIDIS_STOPS.length - 1);
  const i = Math.min(VIRIDIS_STOPS.length - 2, Math.floor(x));
  const f = x - i;
  const a = VIRIDIS_STOPS[i];
  const b = VIRIDIS_STOPS[i + 1];
  return [0, 1, 2].map((k) => Math.round(a[k] + (b[k] - a[k]) * f)) as unknown as Rgb;
}

/** The colour of a value on the scale min..max; undefined for a missing value. */
export function colorOf(value: number | null | undefined, min: number, max: number): Rgb | undefined {
  if (value === null || value === undefined || !Number.isFinite(value)) return undefined;
  return viridis(max > min ? (value - min) / (max - min) : 0);
}

export function rgbCss([r, g, b]: Rgb): string {
  return `rgb(${r}, ${g}, ${b})`;
}

/** Relative luminance (WCAG) of an sRGB colour, 0..1. */
export function luminance([r, g, b]: Rgb): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** Black or white text, whichever contrasts more with the cell. */
export function textColorOn(rgb: Rgb): '#000000' | '#ffffff' {
  const l = luminance(rgb);
  return (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) ? '#000000' : '#ffffff';
}

/** The smallest 1, 2, 2.5 or 5 times a power of ten that is >= x (x > 0); 1 for x <= 0 or not finite. */
export function niceCeiling(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return 1;
  const power = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 2, 2.5, 5, 10]) {
    const v = m * power;
    if (v >= x * (1 - 1e-12)) return Number(v.toPrecision(12));
  }
  return 10 * power;
}

/** Evenly spaced tick values from min to max (count >= 2 ticks, both ends included). */
export function ticks(min: number, max: number, count: number): number[] {
  const n = Math.max(2, Math.floor(count));
  return Array.from({ length: n }, (_, i) => Number((min + ((max - min) * i) / (n - 1)).toPrecision(12)));
}
