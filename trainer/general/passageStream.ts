// The passages of a corpus as BERT inputs, streamed: records (corpusRecords.ts) tokenized one at a time,
// a line or field truncated to maxLength, a document cut into consecutive windows of maxLength - 2 word
// pieces ([CLS] window [SEP]). The stream's position (epoch, file, byte offset and line of the current
// record, windows of it already given) is all a resumed run needs to go on with the same passages.
import type { TokenizedExample } from '../data/batches';
import { encodeIds, type SpecialIds } from '../tokenizer/encode';
import type { BertTokenizer } from '../tokenizer/types';
import { UserError } from '../errors';
import type { CorpusFile } from './corpusFiles';
import { readRecords, type CorpusReadSettings, type CorpusRecord } from './corpusRecords';

export interface CorpusPosition {
  /** Passes over the corpus completed before this position. */
  epoch: number;
  /** Index into the corpus files. */
  file: number;
  /** Byte offset and 1-based line of the record the next passage comes from. */
  offset: number;
  line: number;
  /** Windows of that record already given. */
  skip: number;
}

export const CORPUS_START: CorpusPosition = { epoch: 0, file: 0, offset: 0, line: 1, skip: 0 };

export interface Passage extends TokenizedExample {
  /** "file:line" of its record. */
  source: string;
}

export interface PassageSettings extends CorpusReadSettings {
  maxLength: number;
}

/** The passages of one record's text: one truncated passage, or a document's windows. */
export function passagesOf(ids: readonly number[], settings: Pick<PassageSettings, 'maxLength'>, special: SpecialIds, windows: boolean): TokenizedExample[] {
  if (ids.length === 0) return [];
  const size = settings.maxLength - 2;
  if (!windows) {
    const e = encodeIds(ids, undefined, settings.maxLength, special);
    return [{ ...e, fullLength: ids.length + 2 }];
  }
  const out: TokenizedExample[] = [];
  for (let at = 0; at < ids.length; at += size) {
    const piece = ids.slice(at, at + size);
    out.push({ ...encodeIds(piece, undefined, settings.maxLength, special), fullLength: piece.length + 2 });
  }
  return out;
}

export class PassageStream {
  private pos: CorpusPosition;
  private records?: Generator<CorpusRecord>;
  private current?: { record: CorpusRecord; source: string; passages: TokenizedExample[] };
  private readonly special: SpecialIds;

  constructor(
    private readonly files: readonly CorpusFile[],
    private readonly settings: PassageSettings,
    private readonly tokenizer: BertTokenizer,
    from: CorpusPosition = CORPUS_START,
  ) {
    if (settings.maxLength < 3) throw new UserError(`maxLength must be at least 3 for a corpus passage, got ${settings.maxLength}`, 'maxLength');
    this.pos = { ...from };
    const v = tokenizer.vocab;
    this.special = { clsId: v.clsId, sepId: v.sepId, padId: v.padId };
  }

  /** Where the next passage comes from. */
  get position(): CorpusPosition {
    return { ...this.pos };
  }

  /** The next passage of this pass over the corpus, or undefined at its end (the position then stays at the end). */
  async next(): Promise<Passage | undefined> {
    for (;;) {
      if (this.current) {
        const { record, source, passages } = this.current;
        if (this.pos.skip < passages.length) {
          const passage = passages[this.pos.skip];
          this.pos.skip += 1;
          if (this.pos.skip >= passages.length) this.finishRecord(record);
          return { ...passage, source };
        }
        this.finishRecord(record);
      }
      if (this.pos.file >= this.files.length) return undefined;
      const file = this.files[this.pos.file];
      this.records ??= readRecords(file, this.settings, { offset: this.pos.offset, line: this.pos.line });
      const r = this.records.next();
      if (r.done) {
        this.pos = { epoch: this.pos.epoch, file: this.pos.file + 1, offset: 0, line: 1, skip: 0 };
        this.records = undefined;
        continue;
      }
      const ids = (await this.tokenizer.tokenizeBatch([r.value.text]))[0];
      const windows = file.format === 'txt' && this.settings.text === 'documents';
      this.current = { record: r.value, source: `${file.path}:${r.value.line}`, passages: passagesOf(ids, this.settings, this.special, windows) };
      this.pos = { ...this.pos, offset: r.value.start, line: r.value.line };
    }
  }

  /** Moves to another position (a new epoch from its start, or a resumed run's). */
  seek(position: CorpusPosition): void {
    this.pos = { ...position };
    this.records?.return(undefined);
    this.records = undefined;
    this.current = undefined;
  }

  close(): void {
    this.records?.return(undefined);
    this.records = undefined;
  }

  private finishRecord(record: CorpusRecord): void {
    this.current = undefined;
    this.pos = { ...this.pos, offset: record.next.offset, line: record.next.line, skip: 0 };
  }
}
