// The one error path of the trainer and the CLI. An error in what the user gave (a flag, a run config, a
// data file, a tokenizer or model folder, a run folder, a control request, a sweep file) is a UserError:
// its message is one line that says where (file:line, the field) and, for an InputError, what was
// expected and what was found. The CLI prints that line and exits 2 (the stack only with --debug or
// LRC_DEBUG=1); the trainer puts the same line in the failed run's run.json and metrics.jsonl, and in
// the error response the extension shows with an "Open File" action at file:line. Anything else is a
// bug of ours: exit 1. docs/errors.md lists the messages (test/unit/errors/catalogue.ts).
import type { z } from 'zod';

/** Several lines made one: a list "x:\n  - a\n  - b" becomes "x: a; b", other line breaks a space. */
export function oneLine(text: string): string {
  return text
    .replace(/:\s*\r?\n\s*-\s+/g, ': ')
    .replace(/\s*\r?\n\s*-\s+/g, '; ')
    .replace(/\s*\r?\n\s*/g, ' ')
    .trim();
}

/** An error whose message is meant for the user, with the field, file or line it is about. One line. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly where?: string,
  ) {
    super(oneLine(message));
    this.name = 'UserError';
  }
}

/** What was wrong with one input: where, what was expected, what was found, and what to do. */
export interface InputProblem {
  /** The file (or folder) the input came from. */
  file?: string;
  /** 1-based line of `file`. */
  line?: number;
  /** The field, column, flag or tensor. */
  field?: string;
  expected: string;
  found: string;
  /** What to do about it, when there is something to say. */
  hint?: string;
}

/** "file:line: field: expected X, found Y; hint", leaving out the parts a problem does not have. */
export function formatProblem(p: InputProblem): string {
  const place = p.file === undefined ? undefined : p.line === undefined ? p.file : `${p.file}:${p.line}`;
  const what = `expected ${p.expected}, found ${p.found}${p.hint ? `; ${p.hint}` : ''}`;
  return [place, p.field, what].filter((s) => s !== undefined && s !== '').join(': ');
}

/** A UserError about one input, carrying its file, line and field. */
export class InputError extends UserError {
  readonly file?: string;
  readonly line?: number;
  readonly field?: string;

  constructor(problem: InputProblem) {
    const place = problem.file === undefined ? undefined : problem.line === undefined ? problem.file : `${problem.file}:${problem.line}`;
    super(formatProblem(problem), place ?? problem.field);
    this.name = 'InputError';
    this.file = problem.file;
    this.line = problem.line;
    this.field = problem.field;
  }
}

/** A value as a message shows it: JSON, cut at `max` characters. */
export function shown(value: unknown, max = 60): string {
  if (value === undefined) return 'nothing';
  // a long text is cut inside its quotes
  if (typeof value === 'string' && value.length > max - 2) return JSON.stringify(`${value.slice(0, Math.max(1, max - 3))}…`);
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A piece of a file's text as a message shows it, in backquotes (no JSON escapes), cut at `max` characters. */
export function excerpt(text: string, max = 40): string {
  const one = text.replace(/\r?\n/g, ' ');
  return `\`${one.length > max ? `${one.slice(0, max - 1)}…` : one}\``;
}

/** "a", "b", "c" (and N more): a list of values for a message. */
export function shownList(values: readonly unknown[], max = 8): string {
  const head = values.slice(0, max).map((v) => shown(v, 40)).join(', ');
  return values.length > max ? `${head} and ${values.length - max} more` : head;
}

/** Whether stack traces are wanted (--debug sets LRC_DEBUG=1). */
export function debugEnabled(): boolean {
  const v = process.env.LRC_DEBUG;
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

// ---- zod ------------------------------------------------------------------------------------------

function valueAt(input: unknown, path: readonly (string | number)[]): unknown {
  let v: unknown = input;
  for (const key of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string | number, unknown>)[key];
  }
  return v;
}

/** Issue kinds whose message does not already show the value. */
const SHOWS_FOUND = new Set(['invalid_type', 'too_small', 'too_big', 'invalid_literal', 'not_multiple_of', 'invalid_string', 'invalid_union_discriminator']);

/** "field.path: message; other: message" from a zod error; with `input`, the value found is added. */
export function describeZodError(error: z.ZodError, input?: unknown): string {
  return error.issues
    .map((i) => {
      const value = input === undefined ? undefined : valueAt(input, i.path);
      const found = SHOWS_FOUND.has(i.code) && value !== undefined ? `, found ${shown(value)}` : '';
      return `${i.path.length ? i.path.join('.') : '(message)'}: ${i.message}${found}`;
    })
    .join('; ');
}

// ---- JSON with lines ------------------------------------------------------------------------------

/** The 1-based line of a character offset. */
export function lineOfOffset(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line += 1;
  return line;
}

class JsonSyntax extends Error {
  constructor(
    readonly offset: number,
    readonly expected: string,
  ) {
    super(expected);
  }
}

type PathVisitor = (path: (string | number)[], offset: number) => void;

/** A key given twice in one object, at the offset of its second occurrence. */
class JsonDuplicate extends Error {
  constructor(
    readonly offset: number,
    readonly path: (string | number)[],
  ) {
    super('duplicate key');
  }
}

/**
 * A small JSON scanner: checks the syntax (throwing JsonSyntax at the first error) and calls `visit`
 * with the path and offset of every value (an object member at its key); with `duplicates`, throws
 * JsonDuplicate at the first key given twice in one object. Linear in the text (a 1 MB file in well
 * under a second).
 */
function scanJson(text: string, visit: PathVisitor = () => {}, duplicates = false): void {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const fail = (expected: string): never => {
    throw new JsonSyntax(i, expected);
  };
  const string = () => {
    if (text[i] !== '"') fail('a string in double quotes');
    i++;
    while (i < text.length && text[i] !== '"') {
      const c = text.charCodeAt(i);
      if (c < 0x20) fail('the closing quote of the string before the end of the line');
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail('four hex digits after \\u');
          i += 5;
          continue;
        }
        if (!'"\\/bfnrt'.includes(text[i] ?? '')) fail('an escape \\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX');
      }
      i++;
    }
    if (i >= text.length) fail('the closing quote of the string');
    i++;
  };
  const value = (path: (string | number)[], keyOffset?: number) => {
    ws();
    visit(path, keyOffset ?? i);
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      const seen = duplicates ? new Set<string>() : undefined;
      for (;;) {
        ws();
        const keyStart = i;
        string();
        const key = JSON.parse(text.slice(keyStart, i)) as string;
        if (seen) {
          // "a" and "\u0061" are the same key: compared after unescaping, as JSON.parse would
          if (seen.has(key)) throw new JsonDuplicate(keyStart, [...path, key]);
          seen.add(key);
        }
        ws();
        if (text[i] !== ':') fail(`':' after the key ${JSON.stringify(key)}`);
        i++;
        value([...path, key], keyStart);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') return void i++;
        fail("',' or '}' after a member of an object");
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (let n = 0; ; n++) {
        value([...path, n]);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') return void i++;
        fail("',' or ']' after an element of an array");
      }
    }
    if (c === '"') return string();
    const literal = /^(true|false|null)/.exec(text.slice(i, i + 5));
    if (literal) return void (i += literal[1].length);
    const number = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (number) return void (i += number[0].length);
    fail('a value (an object, array, string, number, true, false or null)');
  };
  value([]);
  ws();
  if (i < text.length) fail('the end of the JSON text');
}

/** What a syntax error found at `offset`, for a message. */
function foundAt(text: string, offset: number): string {
  if (offset >= text.length) return 'the end of the file';
  const rest = text.slice(offset).split(/\r?\n/)[0];
  return rest.trim() === '' ? 'the end of the line' : excerpt(rest, 32);
}

/**
 * The first key given twice in one object of a JSON text (which JSON.parse would silently resolve to
 * the last value): its 1-based line and its path; undefined when there is none or the text is not JSON.
 */
export function findDuplicateKey(text: string): { line: number; path: (string | number)[] } | undefined {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    scanJson(body, undefined, true);
  } catch (e) {
    if (e instanceof JsonDuplicate) return { line: lineOfOffset(body, e.offset), path: e.path };
    if (e instanceof JsonSyntax) return undefined;
    throw e;
  }
  return undefined;
}

/** The InputError of a key given twice: "file:7: optim.lr: expected each key once in an object, found it twice; ...". */
export function duplicateKeyError(file: string | undefined, duplicate: { line: number; path: (string | number)[] }): InputError {
  const key = duplicate.path[duplicate.path.length - 1];
  return new InputError({
    file,
    line: duplicate.line,
    field: duplicate.path.join('.'),
    expected: 'each key once in an object',
    found: `${JSON.stringify(key)} given a second time`,
    hint: 'remove one of them (JSON keeps only the last, silently)',
  });
}

/**
 * JSON.parse of a file's text with a one-line InputError at the line of the first syntax error:
 * "file:3: expected ',' or '}' after a member of an object, found "\"b\": 2"", or of the first key
 * given twice in one object. `what` says what the file should hold ("a run config", ...) for an empty
 * file.
 */
export function parseJsonFile(text: string, file: string, what = 'JSON'): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    const value = JSON.parse(body) as unknown;
    // JSON.parse keeps the last of a key given twice; a user's file that does so is refused instead
    const duplicate = findDuplicateKey(body);
    if (duplicate) throw duplicateKeyError(file, duplicate);
    return value;
  } catch (e) {
    if (e instanceof InputError) throw e;
    if (body.trim() === '') throw new InputError({ file, expected: what, found: 'an empty file' });
    try {
      scanJson(body);
    } catch (e) {
      if (e instanceof JsonSyntax) throw new InputError({ file, line: lineOfOffset(body, e.offset), expected: `valid JSON: ${e.expected}`, found: foundAt(body, e.offset) });
      throw e;
    }
    // The scanner accepted what JSON.parse refused (it should not happen): say what JSON.parse said.
    throw new InputError({ file, expected: 'valid JSON', found: 'text JSON.parse refuses' });
  }
}

/** The line of the member at `path` in a JSON text (or of its nearest enclosing member); undefined if none. */
export function jsonLineOf(text: string, path: readonly (string | number)[]): number | undefined {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let best: { depth: number; offset: number } | undefined;
  try {
    scanJson(body, (p, offset) => {
      if (p.length > path.length || p.length === 0 || !p.every((k, i) => k === path[i])) return;
      if (!best || p.length > best.depth) best = { depth: p.length, offset };
    });
  } catch {
    return undefined;
  }
  return best ? lineOfOffset(body, best.offset) : undefined;
}

// ---- reporting ------------------------------------------------------------------------------------

export interface ErrorReport {
  /** The text for stderr: one line, and the stack below it when asked for. */
  text: string;
  exitCode: number;
}

/** How the CLI reports an error: a UserError is one line and exit 2; anything else a bug, exit 1. */
export function cliErrorReport(e: unknown, debug = debugEnabled(), exitCodes = { usage: 2, failed: 1 }): ErrorReport {
  const stack = e instanceof Error && e.stack ? e.stack : undefined;
  if (e instanceof UserError) {
    return { text: `lrc-distill: ${e.message}${debug && stack ? `\n${stack}` : ''}`, exitCode: exitCodes.usage };
  }
  const message = e instanceof Error ? oneLine(e.message) : String(e);
  return {
    text: `lrc-distill: internal error: ${message}${debug && stack ? `\n${stack}` : ' (run again with --debug or LRC_DEBUG=1 for the stack trace)'}`,
    exitCode: exitCodes.failed,
  };
}
