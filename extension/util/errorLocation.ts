// Where an error message points: the first "file:line" (or "file:") of an absolute path in it, as the
// trainer and the CLI write their input errors (trainer/errors.ts): "/data/news.tsv:1: columns.text: ...".
// No vscode here (test/unit/errors tests it); errorNotification.ts shows it.

export interface ErrorLocation {
  /** The absolute path as the message writes it. */
  file: string;
  /** 1-based line, when the message gives one. */
  line?: number;
}

// An absolute path (POSIX, or a Windows drive) after a space or the start, then ":<line>" or ": ".
const LOCATION = /(?:^|[\s(])((?:[A-Za-z]:)?[\\/][^\s:;,()"'`][^:;"'`]*?)(?::(\d+)(?=[:\s]|$)|(?=:\s))/g;

/** Every file (and line) an error message names, in order; the caller takes the first that exists. */
export function locationsInMessage(message: string): ErrorLocation[] {
  return [...message.matchAll(LOCATION)].map((m) => (m[2] ? { file: m[1], line: Number(m[2]) } : { file: m[1] }));
}
