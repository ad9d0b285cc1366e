// control.jsonl (trainer/session/controlQueue.ts): a request with a key given twice is not applied (which
// value was meant is not known) and the warning names the file, the line and the key; the requests
// around it are applied.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ControlQueue } from '../../../trainer/session/controlQueue';
import { tempDir } from '../helpers/tempDir';

test('control.jsonl: a request with a key given twice is ignored with file:line and the key; the others are applied', () => {
  const file = join(tempDir('control-'), 'control.jsonl');
  writeFileSync(file, '{"type":"pause"}\n'); // before the session: belongs to an earlier one, but counts as line 1
  const warnings: string[] = [];
  const queue = new ControlQueue(file, (_level, message) => warnings.push(message));
  appendFileSync(file, '{"type":"setWeights","alpha":1}\n{"type":"setWeights","alpha":1,"alpha":0}\n{"type":"stop"}\n');
  assert.deepEqual(queue.drain(), [{ type: 'setWeights', alpha: 1 }, { type: 'stop' }]);
  assert.deepEqual(warnings, [
    `ignored the request: ${file}:3: alpha: expected each key once in an object, found "alpha" given a second time; remove one of them (JSON keeps only the last, silently)`,
  ]);
  appendFileSync(file, 'not json\n');
  assert.deepEqual(queue.drain(), []);
  assert.equal(warnings[1], `${file}:5: ignored a line that is not JSON: not json`);
});
