// An SVG file to a PNG of the same size, through the Chromium the e2e tests use (playwright-core).
// Usage: node experiments/svg-to-png.mjs <in.svg> <out.png>
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium } from 'playwright-core';

const [input, output] = process.argv.slice(2);
if (!input || !output) throw new Error('usage: svg-to-png.mjs <in.svg> <out.png>');
const svg = readFileSync(input, 'utf8');
const size = (name) => Number(new RegExp(`<svg[^>]*\\b${name}="(\\d+)"`).exec(svg)?.[1] ?? NaN);
const [width, height] = [size('width'), size('height')];
if (!Number.isFinite(width) || !Number.isFinite(height)) throw new Error(`${input}: the <svg> element needs width and height`);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' });
try {
  const page = await browser.newPage({ viewport: { width, height } });
  await page.goto(`file://${resolve(input)}`);
  await page.screenshot({ path: output });
} finally {
  await browser.close();
}
console.log(`${output}: ${width} x ${height}`);
