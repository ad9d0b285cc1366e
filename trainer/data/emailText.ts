// The readable text of a raw e-mail (RFC 822 headers + MIME body), for the spam demo task:
// the Subject (RFC 2047 encoded words decoded) and the body without headers, where a multipart
// message gives its text/plain parts (or its text/html parts with the markup removed when it has no
// plain text), quoted-printable and base64 are decoded in the part's charset, and attachments are
// dropped. Headers other than Subject are never part of the text: they carry routing details
// (mailing-list servers, spam-filter marks) that would let a model tell spam from ham without reading.

export interface EmailText {
  subject: string;
  body: string;
}

type Headers = Map<string, string>;

const MAX_MIME_DEPTH = 5;
const LOOKS_LIKE_HTML = /<(html|body|table|font|div|br|p)[\s>/]|<a\s/i;

/** Splits a message into its headers (lower-case names, folded lines joined) and its body. */
function splitMessage(raw: string): { headers: Headers; body: string } {
  const text = raw.replace(/\r\n/g, '\n');
  const end = text.indexOf('\n\n');
  const head = end < 0 ? text : text.slice(0, end);
  const body = end < 0 ? '' : text.slice(end + 2);
  const headers: Headers = new Map();
  let name: string | undefined;
  for (const line of head.split('\n')) {
    if (/^[ \t]/.test(line) && name) {
      headers.set(name, `${headers.get(name)} ${line.trim()}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue; // the mbox "From " line and the like
    name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
  }
  return { headers, body };
}

/** Bytes (as a latin1 string or a buffer) decoded in `charset`; unknown charsets fall back to latin1. */
function decodeBytes(bytes: Buffer, charset: string | undefined): string {
  const label = (charset ?? 'latin1').toLowerCase().replace(/^"|"$/g, '');
  try {
    return new TextDecoder(label).decode(bytes);
  } catch {
    return bytes.toString('latin1');
  }
}

function decodeQuotedPrintable(text: string): Buffer {
  const softBreaksRemoved = text.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < softBreaksRemoved.length; i++) {
    const c = softBreaksRemoved.charCodeAt(i);
    const hex = softBreaksRemoved.slice(i + 1, i + 3);
    if (c === 0x3d && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(c & 0xff);
    }
  }
  return Buffer.from(bytes);
}

/** RFC 2047 encoded words in a header: =?charset?Q?...?= and =?charset?B?...?=. */
export function decodeEncodedWords(header: string): string {
  return header
    .replace(/(=\?[^?]+\?[BbQq]\?[^?]*\?=)\s+(?==\?)/g, '$1') // whitespace between encoded words is dropped
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, charset: string, encoding: string, data: string) => {
      const bytes = encoding.toUpperCase() === 'B' ? Buffer.from(data, 'base64') : decodeQuotedPrintable(data.replace(/_/g, ' '));
      return decodeBytes(bytes, charset);
    });
}

function parameter(headerValue: string | undefined, name: string): string | undefined {
  if (!headerValue) return undefined;
  const m = new RegExp(`;\\s*${name}\\s*=\\s*("([^"]*)"|[^;\\s]+)`, 'i').exec(headerValue);
  return m ? (m[2] ?? m[1]) : undefined;
}

/** The text of an HTML body: no style/script/comments, tags removed, common entities decoded. */
export function htmlToText(html: string): string {
  return html
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<(style|script|head)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<(br|p|div|tr|li|h[1-6])\b[^>]*>/gi, '\n')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/gi, ' ')
    .replace(/&lt;/gi, '<')
    .replace(/&gt;/gi, '>')
    .replace(/&quot;/gi, '"')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Math.min(Number(n), 0x10ffff)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCodePoint(Math.min(parseInt(n, 16), 0x10ffff)))
    .replace(/&amp;/gi, '&');
}

/** The decoded text parts of a MIME entity, as [mime type, text]. */
function textParts(headers: Headers, body: string, depth: number): [string, string][] {
  const contentType = headers.get('content-type') ?? 'text/plain';
  const type = contentType.split(';')[0].trim().toLowerCase();
  if (type.startsWith('multipart/') && depth < MAX_MIME_DEPTH) {
    const boundary = parameter(contentType, 'boundary');
    if (!boundary) return [['text/plain', body]];
    const parts = body.split(`--${boundary}`).slice(1); // before the first boundary: the preamble
    const out: [string, string][] = [];
    for (const part of parts) {
      if (part.startsWith('--')) break; // the closing boundary
      const inner = splitMessage(part.replace(/^[ \t]*\r?\n/, ''));
      out.push(...textParts(inner.headers, inner.body, depth + 1));
    }
    return out;
  }
  if (type !== 'text/plain' && type !== 'text/html') return []; // attachments, images
  if (/attachment/i.test(headers.get('content-disposition') ?? '')) return [];
  const encoding = (headers.get('content-transfer-encoding') ?? '').trim().toLowerCase();
  const charset = parameter(contentType, 'charset');
  let text = body;
  if (encoding === 'quoted-printable') text = decodeBytes(decodeQuotedPrintable(body), charset);
  else if (encoding === 'base64') text = decodeBytes(Buffer.from(body.replace(/\s+/g, ''), 'base64'), charset);
  return [[type, text]];
}

/** Subject and body text of a raw message (whitespace not yet collapsed). */
export function emailText(raw: string): EmailText {
  const { headers, body } = splitMessage(raw);
  const parts = textParts(headers, body, 0);
  // Some messages send HTML labelled as plain text (or with no Content-Type): strip it there too.
  const plain = parts.filter(([type]) => type === 'text/plain').map(([, text]) => (LOOKS_LIKE_HTML.test(text) ? htmlToText(text) : text));
  const html = parts.filter(([type]) => type === 'text/html').map(([, text]) => htmlToText(text));
  return { subject: decodeEncodedWords(headers.get('subject') ?? ''), body: (plain.length ? plain : html).join('\n') };
}
