// The host's trainer client against the real trainer entry (run through tsx) and two stand-ins.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { z } from 'zod';
import { TrainerClient } from '../../../extension/trainer/trainerClient';
import { RequestType } from '../../../trainer/protocol';

const root = join(__dirname, '..', '..', '..');
const tsx = ['--import', 'tsx'];

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('the trainer answers hello with its backend and versions, and stops on request', async () => {
  const logs: string[] = [];
  const client = new TrainerClient({ script: join(root, 'trainer', 'main.ts'), cwd: root, execArgv: tsx, log: (l) => logs.push(l) });
  try {
    const hello = await client.hello();
    assert.equal(hello.pid, client.pid);
    assert.ok(['tensorflow', 'wasm', 'cpu'].includes(hello.backend.backend), `backend ${hello.backend.backend}`);
    assert.match(hello.versions.tfjs, /^\d+\.\d+\.\d+/);
    assert.equal(hello.versions.node, process.versions.node);
    if (hello.backend.backend !== 'tensorflow') {
      // the better backend was tried, and the report says why it was not used
      assert.ok(hello.backend.rejected.some((r) => r.name.startsWith('@tensorflow/tfjs-node') && r.reason.length > 0), JSON.stringify(hello.backend.rejected));
    }
    const pid = client.pid!;
    await client.stop(10_000);
    assert.equal(client.running, false);
    assert.equal(isAlive(pid), false, 'the trainer process is gone after stop');
  } finally {
    client.dispose();
  }
});

test('a malformed request is answered with an error naming the field', async () => {
  const client = new TrainerClient({ script: join(root, 'trainer', 'main.ts'), cwd: root, execArgv: tsx, log: () => {} });
  try {
    const BadHello = new RequestType('hello', z.any(), z.any());
    await assert.rejects(client.request(BadHello, { backend: 'quantum' }), /invalid params for 'hello': backend/);
    const Unknown = new RequestType('selfDestruct', z.any(), z.any());
    await assert.rejects(client.request(Unknown, {}), /unknown method 'selfDestruct'/);
    assert.equal(client.running, true, 'the trainer survives bad requests');
  } finally {
    client.dispose();
  }
});

test('a trainer that does not answer is killed after the timeout', async () => {
  const logs: string[] = [];
  const client = new TrainerClient({ script: join(root, 'test', 'fixtures', 'processes', 'silent-trainer.mjs'), cwd: root, log: (l) => logs.push(l), requestTimeoutMs: 500 });
  client.start();
  const pid = client.pid!;
  const exited = new Promise((r) => client.onExit(r));
  await assert.rejects(client.hello(), /did not answer 'hello' within 500 ms/);
  await exited;
  assert.equal(isAlive(pid), false);
  assert.ok(logs.some((l) => l.includes('killing it')));
  client.dispose();
});

test('a malformed message from the trainer is logged and ignored', async () => {
  const logs: string[] = [];
  const client = new TrainerClient({ script: join(root, 'test', 'fixtures', 'processes', 'garbage-trainer.mjs'), cwd: root, log: (l) => logs.push(l) });
  try {
    const Ping = new RequestType('ping', z.object({}), z.object({}));
    assert.deepEqual(await client.request(Ping, {}), {});
    assert.ok(logs.some((l) => l.startsWith('malformed message from the trainer ignored')), logs.join('\n'));
  } finally {
    client.dispose();
  }
});

test('dispose kills a running trainer', async () => {
  const client = new TrainerClient({ script: join(root, 'test', 'fixtures', 'processes', 'silent-trainer.mjs'), cwd: root, log: () => {} });
  client.start();
  const pid = client.pid!;
  client.dispose();
  for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal(isAlive(pid), false);
});
