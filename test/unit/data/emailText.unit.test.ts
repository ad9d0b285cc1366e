import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeEncodedWords, emailText, htmlToText } from '../../../trainer/data/emailText';
import { cutText, spamExampleText } from '../../../trainer/data/spamAssassin';

const PLAIN = [
  'From someone@example.com  Thu Aug 22 12:36:23 2002',
  'Return-Path: <someone@example.com>',
  'Received: from mail.example.com (mail [127.0.0.1])',
  '\tby example.com with ESMTP',
  'Subject: Re: New',
  '  Sequences Window',
  'Content-Type: text/plain; charset=us-ascii',
  '',
  'Body line one.',
  '',
  'Body   line two.',
].join('\n');

test('headers are dropped, a folded Subject is joined, the body is kept', () => {
  assert.deepEqual(emailText(PLAIN), { subject: 'Re: New Sequences Window', body: 'Body line one.\n\nBody   line two.' });
  assert.equal(spamExampleText(PLAIN), 'Re: New Sequences Window Body line one. Body line two.');
});

test('RFC 2047 subjects: Q and B encodings in their charset', () => {
  assert.equal(decodeEncodedWords('=?iso-8859-1?Q?Caf=E9_ouvert?='), 'Café ouvert');
  assert.equal(decodeEncodedWords('=?utf-8?B?SGVsbG8gd8O2cmxk?='), 'Hello wörld');
  assert.equal(decodeEncodedWords('=?utf-8?Q?a?= =?utf-8?Q?b?= plain'), 'ab plain');
});

test('multipart/alternative: the text/plain part (quoted-printable decoded), not the HTML one', () => {
  const raw = [
    'Subject: offer',
    'Content-Type: multipart/alternative; boundary="XYZ"',
    '',
    'This is a MIME preamble.',
    '--XYZ',
    'Content-Type: text/plain; charset="iso-8859-1"',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    'Cr=E8me br=FBl=E9e for a soft=',
    ' break',
    '--XYZ',
    'Content-Type: text/html',
    '',
    '<p>HTML version</p>',
    '--XYZ--',
    'epilogue',
  ].join('\n');
  assert.deepEqual(emailText(raw), { subject: 'offer', body: 'Crème brûlée for a soft break\n' });
});

test('HTML only: markup, styles and comments removed, entities decoded; base64 parts decoded; attachments dropped', () => {
  const html = '<html><head><style>p{color:red}</style></head><body><!-- hidden --><p>Win &amp; save&nbsp;100&#37;</p><a href="x">now</a></body></html>';
  assert.equal(htmlToText(html).replace(/\s+/g, ' ').trim(), 'Win & save 100% now');
  const raw = [
    'Subject: =?utf-8?Q?Gro=C3=9Fe?=',
    'Content-Type: multipart/mixed; boundary=B1',
    '',
    '--B1',
    'Content-Type: text/html; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    Buffer.from('<b>Grüße</b> aus Berlin').toString('base64'),
    '--B1',
    'Content-Type: application/pdf; name="a.pdf"',
    'Content-Transfer-Encoding: base64',
    '',
    'JVBERi0xLjQK',
    '--B1--',
  ].join('\n');
  assert.equal(spamExampleText(raw), 'Große Grüße aus Berlin');
});

test('HTML sent as text/plain is stripped too', () => {
  assert.equal(spamExampleText('Subject: x\n\n<html><body><font size=2>Buy</font></body></html>'), 'x Buy');
});

test('cutText collapses whitespace and cuts at a space near the limit', () => {
  assert.equal(cutText('  a \n\t b  ', 100), 'a b');
  assert.equal(cutText('one two three', 9), 'one two');
  assert.equal(cutText('x'.repeat(120), 100), 'x'.repeat(100)); // no space in the last 50: hard cut
});
