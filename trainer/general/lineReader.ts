// The lines of a file from any byte offset, read in chunks of a fixed size, never the whole file: a
// corpus larger than memory streams through. Each line comes with its 1-based number and the byte
// offsets where it starts and where the next one starts, so that a reader can stop after any line and
// go on later from that offset (a resumed run). A UTF-8 byte order mark at offset 0 is dropped; \r\n
// and \n both end a line; a line that is not UTF-8 is refused with its file and line.
import { closeSync, openSync, readSync } from 'node:fs';
import { InputError } from '../errors';
import { firstInvalidUtf8 } from '../data/delimitedText';

export interface FileLine {
  text: string;
  /** 1-based line number in the file. */
  line: number;
  /** Byte offset of the line's first byte. */
  start: number;
  /** Byte offset of the next line (after the line's \n). */
  next: number;
}

/** Where to start reading: a byte offset at the start of a line, and that line's number. */
export interface LineCursor {
  offset: number;
  line: number;
}

export const DEFAULT_CHUNK_BYTES = 1 << 20;

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function decodeLine(bytes: Uint8Array, file: string, line: number): string {
  try {
    return decoder.decode(bytes);
  } catch {
    const at = Math.max(0, firstInvalidUtf8(bytes));
    const byte = bytes[at].toString(16).toUpperCase().padStart(2, '0');
    throw new InputError({ file, line, expected: 'UTF-8 text', found: `the byte 0x${byte} at byte ${at + 1} of the line`, hint: 'save the corpus as UTF-8' });
  }
}

/** The lines of `file` from `from` (default its start), reading `chunkBytes` at a time. */
export function* readLines(file: string, from: LineCursor = { offset: 0, line: 1 }, chunkBytes = DEFAULT_CHUNK_BYTES): Generator<FileLine> {
  const fd = openSync(file, 'r');
  try {
    const chunk = Buffer.allocUnsafe(chunkBytes);
    let carry: Buffer = Buffer.alloc(0); // bytes of a line begun in an earlier chunk
    let carryStart = from.offset;
    let position = from.offset;
    let line = from.line;
    for (;;) {
      const n = readSync(fd, chunk, 0, chunkBytes, position);
      if (n === 0) break;
      position += n;
      const data = carry.length ? Buffer.concat([carry, chunk.subarray(0, n)]) : chunk.subarray(0, n);
      let begin = 0;
      if (carryStart === 0 && line === 1 && data.length >= 3 && data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) begin = 3; // BOM
      if (carryStart === 0 && line === 1 && data.length >= 2 && ((data[0] === 0xff && data[1] === 0xfe) || (data[0] === 0xfe && data[1] === 0xff))) {
        throw new InputError({ file, line: 1, expected: 'UTF-8 text', found: `a UTF-16 byte order mark`, hint: 'save the corpus as UTF-8' });
      }
      for (;;) {
        const nl = data.indexOf(0x0a, begin);
        if (nl < 0) break;
        const end = nl > begin && data[nl - 1] === 0x0d ? nl - 1 : nl;
        yield { text: decodeLine(data.subarray(begin, end), file, line), line, start: carryStart + begin, next: carryStart + nl + 1 };
        line += 1;
        begin = nl + 1;
      }
      // The rest waits for the next chunk; a copy, since the chunk buffer is reused.
      carry = Buffer.from(data.subarray(begin));
      carryStart += begin;
    }
    if (carry.length) {
      const end = carry[carry.length - 1] === 0x0d ? carry.length - 1 : carry.length;
      yield { text: decodeLine(carry.subarray(0, end), file, line), line, start: carryStart, next: carryStart + carry.length };
    }
  } finally {
    closeSync(fd);
  }
}
