// The files of a corpus: each path given is a file, or a folder whose corpus files (by extension, in
// sub-folders too, hidden ones left out) are taken in path order. The order is fixed, so that a
// position in the corpus (a file's number and a byte offset) means the same text in every process.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { InputError, shown } from '../errors';

export type CorpusFormat = 'txt' | 'jsonl' | 'tsv' | 'csv';

export interface CorpusFile {
  path: string;
  format: CorpusFormat;
}

const FORMATS: Record<string, CorpusFormat> = { '.txt': 'txt', '.text': 'txt', '.jsonl': 'jsonl', '.ndjson': 'jsonl', '.tsv': 'tsv', '.csv': 'csv' };
const EXPECTED = 'a .txt, .jsonl, .tsv or .csv file';

export function corpusFormatOf(path: string): CorpusFormat | undefined {
  return FORMATS[extname(path).toLowerCase()];
}

function filesUnder(folder: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (entry.name.startsWith('.')) continue;
    const path = join(folder, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(path));
    else if (corpusFormatOf(path)) out.push(path);
  }
  return out;
}

/** The corpus files of `paths` (files and folders), in order; a clear error for a path that gives none. */
export function listCorpusFiles(paths: readonly string[]): CorpusFile[] {
  if (paths.length === 0) throw new InputError({ field: 'corpus', expected: 'at least one corpus file or folder', found: 'none' });
  const files: CorpusFile[] = [];
  for (const given of paths) {
    const path = resolve(given);
    if (!existsSync(path)) throw new InputError({ file: path, field: 'corpus', expected: 'a corpus file or folder', found: 'no file or folder at this path' });
    if (statSync(path).isDirectory()) {
      const inside = filesUnder(path);
      if (inside.length === 0) throw new InputError({ file: path, field: 'corpus', expected: `${EXPECTED} in the folder`, found: 'none' });
      files.push(...inside.map((p) => ({ path: p, format: corpusFormatOf(p)! })));
    } else {
      const format = corpusFormatOf(path);
      if (!format) throw new InputError({ file: path, field: 'corpus', expected: EXPECTED, found: `the extension ${shown(extname(path) || '(none)')}` });
      files.push({ path, format });
    }
  }
  return files;
}
