import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { RequestType, type TrainerToHostMessage } from '../../../trainer/protocol';
import { TrainerServer, UserError } from '../../../trainer/server';

const Echo = new RequestType('echo', z.object({ text: z.string(), times: z.number().int().positive() }).strict(), z.object({ text: z.string() }));
const Fail = new RequestType('fail', z.object({}), z.object({}));

function serverWithLog() {
  const sent: TrainerToHostMessage[] = [];
  const server = new TrainerServer((m) => sent.push(m));
  server.on(Echo, ({ text, times }) => ({ text: text.repeat(times) }));
  server.on(Fail, () => {
    throw new UserError('teacher folder /x has no config.json', 'teacherPath');
  });
  return { server, sent };
}

test('a valid request is answered with its result', async () => {
  const { server, sent } = serverWithLog();
  await server.receive({ type: 'request', id: 7, method: 'echo', params: { text: 'ab', times: 2 } });
  assert.deepEqual(sent, [{ type: 'response', id: 7, ok: true, result: { text: 'abab' } }]);
});

test('a malformed message gets an error response, not a crash', async () => {
  const { server, sent } = serverWithLog();
  await server.receive('not json at all');
  await server.receive({ type: 'request', id: 'x', method: 'echo' });
  await server.receive(null);
  assert.equal(sent.length, 3);
  for (const m of sent) {
    assert.equal(m.type, 'response');
    assert.equal((m as { ok: boolean }).ok, false);
    assert.match((m as { error: { message: string } }).error.message, /^malformed message: /);
  }
  assert.match((sent[1] as { error: { message: string } }).error.message, /id: /);
});

test('invalid params name the field', async () => {
  const { server, sent } = serverWithLog();
  await server.receive({ type: 'request', id: 1, method: 'echo', params: { text: 'a', times: -1 } });
  await server.receive({ type: 'request', id: 2, method: 'echo', params: { text: 'a', times: 1, extra: true } });
  const [a, b] = sent as { ok: false; error: { message: string; where?: string } }[];
  assert.equal(a.ok, false);
  assert.match(a.error.message, /invalid params for 'echo': times: /);
  assert.equal(a.error.where, 'params');
  assert.match(b.error.message, /extra/);
});

test('an unknown method is refused by name', async () => {
  const { server, sent } = serverWithLog();
  await server.receive({ type: 'request', id: 3, method: 'launchRockets', params: {} });
  assert.deepEqual(sent, [{ type: 'response', id: 3, ok: false, error: { message: "unknown method 'launchRockets'", where: 'method' } }]);
});

test('a handler error becomes an error response with where it is about', async () => {
  const { server, sent } = serverWithLog();
  await server.receive({ type: 'request', id: 4, method: 'fail', params: {} });
  assert.deepEqual(sent, [{ type: 'response', id: 4, ok: false, error: { message: 'teacher folder /x has no config.json', where: 'teacherPath' } }]);
});
