// Reading a wheel (a zip archive) without unpacking all of it: TensorFlow's is 230 MB to 600 MB packed
// and over 1 GB unpacked, and the build needs only its two C libraries, its headers and its metadata.
// yauzl (a well-kept streaming zip reader, zip64 included) reads the central directory and inflates
// just the entries asked for; every file is written under a temporary name and renamed.
import { createWriteStream, mkdirSync, renameSync } from 'node:fs';
import { dirname, join, normalize, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Entry, ZipFile } from 'yauzl';
import * as yauzl from 'yauzl';

function open(file: string): Promise<ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true, autoClose: false, strictFileNames: false }, (err, zip) => (err ? reject(err) : resolve(zip))),
  );
}

function openStream(zip: ZipFile, entry: Entry): Promise<NodeJS.ReadableStream> {
  return new Promise((resolve, reject) => zip.openReadStream(entry, (err, stream) => (err ? reject(err) : resolve(stream))));
}

/** Visits every entry; `onEntry` returns a promise to wait for before the next one is read. */
async function eachEntry(file: string, onEntry: (zip: ZipFile, entry: Entry) => Promise<void>): Promise<void> {
  const zip = await open(file);
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', reject);
      zip.on('end', resolve);
      zip.on('entry', (entry: Entry) => {
        onEntry(zip, entry).then(() => zip.readEntry(), reject);
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
}

/** The names of the archive's entries. */
export async function listEntries(file: string): Promise<string[]> {
  const names: string[] = [];
  await eachEntry(file, async (_zip, entry) => {
    names.push(entry.fileName);
  });
  return names;
}

/** One entry's text (a small file such as the wheel's METADATA), or undefined when there is none. */
export async function readEntryText(file: string, name: string): Promise<string | undefined> {
  let text: string | undefined;
  await eachEntry(file, async (zip, entry) => {
    if (entry.fileName !== name) return;
    const chunks: Buffer[] = [];
    for await (const chunk of (await openStream(zip, entry)) as AsyncIterable<Buffer>) chunks.push(chunk);
    text = Buffer.concat(chunks).toString('utf8');
  });
  return text;
}

/**
 * Writes every file entry for which `target(name)` gives a path (relative to `outDir`) and returns how
 * many it wrote. Entries that would land outside `outDir` are refused.
 */
export async function extractEntries(file: string, outDir: string, target: (name: string) => string | undefined): Promise<number> {
  let count = 0;
  const root = normalize(outDir) + sep;
  await eachEntry(file, async (zip, entry) => {
    if (entry.fileName.endsWith('/')) return;
    const rel = target(entry.fileName);
    if (rel === undefined) return;
    const out = normalize(join(outDir, rel));
    if (!out.startsWith(root)) throw new Error(`${file}: the entry ${entry.fileName} would be written outside ${outDir}`);
    mkdirSync(dirname(out), { recursive: true });
    const partial = `${out}.partial`;
    await pipeline(await openStream(zip, entry), createWriteStream(partial, { mode: entry.externalFileAttributes >>> 16 & 0o777 || 0o644 }));
    renameSync(partial, out);
    count += 1;
  });
  return count;
}
