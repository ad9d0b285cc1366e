// Reading a run's analysis files (analysis/step-XXXXXX.json) in the extension host, with the trainer's
// own schema and reader (trainer/analysis/analysisSchema.ts, analysisFile.ts: zod, no tensors), errors
// naming the file and the field. The header (everything but the cases) is read on its own: the heatmap
// needs only the grids, and the file writer puts the cases last, one record per line.
import { closeSync, openSync, readSync } from 'node:fs';
import { checkAnalysisHeader, parseAnalysisJson, readAnalysisFile } from '../../trainer/analysis/analysisFile';
import type { AnalysisHeader } from '../../trainer/analysis/analysisSchema';

export { type AnalysisHeader, type CaseRecordJson as AnalysisCase, type AnalysisFile as AnalysisFileView } from '../../trainer/analysis/analysisSchema';

/** Reads and checks a whole analysis file, its case records included. */
export const readAnalysisView = readAnalysisFile;

/** Where the file writer starts the case records (trainer/analysis/analysisFile.ts, formatAnalysisJson). */
const CASES_KEY = '\n  "cases": ';
const HEADER_LIMIT = 8 << 20;

/**
 * Reads the file only up to its case records and checks that part: the grids of a file of thousands
 * of cases in a few milliseconds. A file laid out differently is read whole.
 */
export function readAnalysisHeader(path: string): AnalysisHeader {
  let head = '';
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new Error(`${path}: cannot read the analysis file (${(e as Error).message})`);
  }
  try {
    const chunk = Buffer.alloc(64 << 10);
    const parts: Buffer[] = [];
    let size = 0;
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, size);
      if (n <= 0) break;
      parts.push(Buffer.from(chunk.subarray(0, n)));
      size += n;
      // a multi-byte character may straddle chunks: decode everything read so far
      head = Buffer.concat(parts).toString('utf8');
      if (head.includes(CASES_KEY) || size >= HEADER_LIMIT) break;
    }
  } finally {
    closeSync(fd);
  }
  const at = head.indexOf(CASES_KEY);
  const before = at >= 0 ? head.slice(0, at).replace(/,\s*$/, '') : '';
  if (at < 0 || !before.startsWith('{')) {
    const { cases: _cases, ...header } = readAnalysisView(path);
    return header;
  }
  return checkAnalysisHeader(path, parseAnalysisJson(path, `${before}\n}`));
}

/** A run's analysis files in step order (the trainer's own listing). */
export { listAnalysisFiles as listStepFiles, type AnalysisFileEntry as StepFile } from '../../trainer/analysis/analysisFile';
