// A model made in steps (a teacher loaded during a run's set-up, in time slices) is the model made at
// once, and one stopped part-way leaves no tensor behind.
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { hfModelSteps, loadHfModel, writeHfFolder } from '../../../trainer/checkpoint/hfFolder';
import { Bert } from '../../../trainer/model/bert';
import { finishInSlices, finishNow } from '../../../trainer/util/timeSlices';
import { useBackend } from '../helpers/backend';
import { tempDir } from '../helpers/tempDir';
import { TINY_CONFIG, tinyBert } from '../model/tiny';
import { parseBertConfig } from '../../../trainer/model/config';

before(() => useBackend('cpu'));

const valuesOf = (model: Bert) => [...model.namedWeights()].map(([name, v]) => [name, Array.from(v.dataSync())] as const);

test('Bert.steps draws the weights new Bert draws (same seed, same order)', () => {
  const config = parseBertConfig({ ...TINY_CONFIG, initializer_range: 0.2 });
  const once = new Bert(config, { seed: 3 });
  const stepped = finishNow(Bert.steps(config, { seed: 3 }));
  assert.deepEqual(valuesOf(stepped), valuesOf(once));
  once.dispose();
  stepped.dispose();
});

test('a folder loaded in slices is the model loadHfModel gives; stopped part-way, no tensor is left', async () => {
  const dir = tempDir('lrc-model-steps-');
  const source = tinyBert(5);
  await writeHfFolder(source, dir);
  source.dispose();
  const once = loadHfModel(dir, { trainable: false });
  let pauses = 0;
  const sliced = await finishInSlices(hfModelSteps(dir, { trainable: false }), async () => void pauses++, 0);
  assert.ok(pauses > TINY_CONFIG.num_hidden_layers, `${pauses} pauses: after reading, each layer made, each tensor loaded`);
  assert.deepEqual(valuesOf(sliced.model), valuesOf(once.model));
  once.model.dispose();
  sliced.model.dispose();

  const before = tf.memory().numTensors;
  for (const stopAt of [1, 2, 4, pauses - 1]) {
    let n = 0;
    const stop = async () => {
      if (++n === stopAt) throw new Error('stopped');
    };
    await assert.rejects(finishInSlices(hfModelSteps(dir, { trainable: false }), stop, 0), /stopped/);
    assert.equal(tf.memory().numTensors, before, `stopped at pause ${stopAt}: every variable made so far disposed of`);
  }
});
