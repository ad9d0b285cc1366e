import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBertConfig } from '../../../trainer/model';

const tiny = { vocab_size: 50, hidden_size: 32, num_hidden_layers: 2, num_attention_heads: 4, intermediate_size: 64 };

test('missing optional fields get the defaults of Hugging Face BertConfig', () => {
  const c = parseBertConfig({});
  assert.equal(c.vocab_size, 30522);
  assert.equal(c.hidden_size, 768);
  assert.equal(c.num_hidden_layers, 12);
  assert.equal(c.num_attention_heads, 12);
  assert.equal(c.intermediate_size, 3072);
  assert.equal(c.max_position_embeddings, 512);
  assert.equal(c.type_vocab_size, 2);
  assert.equal(c.layer_norm_eps, 1e-12);
  assert.equal(c.hidden_dropout_prob, 0.1);
  assert.equal(c.attention_probs_dropout_prob, 0.1);
  assert.equal(c.initializer_range, 0.02);
  assert.equal(c.pad_token_id, 0);
  assert.equal(c.hidden_act, 'gelu');
  assert.equal(c.classifier_dropout, null);
  assert.equal(c.num_labels, 2);
  assert.deepEqual(c.id2label, { '0': 'LABEL_0', '1': 'LABEL_1' });
  assert.deepEqual(c.label2id, { LABEL_0: 0, LABEL_1: 1 });
});

test('given fields are kept; num_labels comes from id2label as in PretrainedConfig', () => {
  const c = parseBertConfig({
    ...tiny, layer_norm_eps: 1e-5, classifier_dropout: 0.2, architectures: ['BertForSequenceClassification'],
    id2label: { '0': 'neg', '1': 'neu', '2': 'pos' }, label2id: { neg: 0, neu: 1, pos: 2 },
  });
  assert.equal(c.hidden_size, 32);
  assert.equal(c.layer_norm_eps, 1e-5);
  assert.equal(c.classifier_dropout, 0.2);
  assert.equal(c.num_labels, 3);
  assert.deepEqual(c.label2id, { neg: 0, neu: 1, pos: 2 });
  assert.equal(parseBertConfig({ ...tiny, num_labels: 1 }).num_labels, 1);
});

test('a hidden size that the heads do not divide is refused with both values', () => {
  // (300 = 12 x 25 is fine; 312 is not a multiple of 10.)
  assert.doesNotThrow(() => parseBertConfig({ hidden_size: 300, num_attention_heads: 12 }));
  assert.throws(
    () => parseBertConfig({ hidden_size: 312, num_attention_heads: 10 }),
    /config\.json: expected a valid BERT config, found hidden_size 312 is not a multiple of num_attention_heads 10/,
  );
});

test('every field is type-checked, and every problem is listed with its value', () => {
  const bad = {
    vocab_size: '30522', hidden_size: 32.5, num_hidden_layers: 0, hidden_dropout_prob: 1,
    attention_probs_dropout_prob: -0.1, layer_norm_eps: 0, initializer_range: null, max_position_embeddings: true,
  };
  let message = '';
  try {
    parseBertConfig(bad, 'teacher/config.json');
  } catch (err) {
    message = (err as Error).message;
  }
  assert.match(message, /^teacher\/config\.json: expected a valid BERT config, found 8 problems: /);
  assert.match(message, /vocab_size must be an integer >= 1, got "30522" \(string\)/);
  assert.match(message, /hidden_size must be an integer >= 1, got 32\.5 \(number\)/);
  assert.match(message, /num_hidden_layers must be an integer >= 1, got 0 \(number\)/);
  assert.match(message, /hidden_dropout_prob must be a number >= 0 < 1, got 1 \(number\)/);
  assert.match(message, /attention_probs_dropout_prob must be a number >= 0 < 1, got -0\.1/);
  assert.match(message, /layer_norm_eps must be a number > 0, got 0/);
  assert.match(message, /initializer_range must be a number >= 0, got null/);
  assert.match(message, /max_position_embeddings must be an integer >= 1, got true \(boolean\)/);
});

test('unsupported architectures and activations are refused by name', () => {
  assert.throws(() => parseBertConfig({ hidden_act: 'relu' }), /hidden_act "relu" \(string\) is not supported: only 'gelu'/);
  assert.throws(() => parseBertConfig({ model_type: 'distilbert' }), /model_type must be 'bert', got "distilbert"/);
  assert.throws(() => parseBertConfig({ position_embedding_type: 'relative_key' }), /position_embedding_type "relative_key"/);
  assert.throws(() => parseBertConfig([1, 2]), /config\.json: expected a BERT config \(a JSON object\), found an array/);
});

test('labels and padding must agree with the rest of the config', () => {
  assert.throws(() => parseBertConfig({ ...tiny, pad_token_id: 50 }), /pad_token_id 50 is not a token of the vocabulary \(vocab_size 50\)/);
  assert.throws(() => parseBertConfig({ id2label: { '0': 'a', '1': 'b' }, num_labels: 3 }), /num_labels 3 does not match id2label, which has 2 labels/);
  assert.throws(() => parseBertConfig({ id2label: { '0': 'a', '2': 'b' } }), /id2label keys must be "0" \.\. "1", got \["0", "2"\]/);
  assert.throws(() => parseBertConfig({ id2label: { '0': 'a', '1': 2 } }), /id2label names must be strings, got 1: 2 \(number\)/);
  assert.throws(() => parseBertConfig({ id2label: { '0': 'a', '1': 'b' }, label2id: { a: 1, b: 0 } }), /label2id .* is not the inverse of id2label/);
  assert.throws(() => parseBertConfig({ num_labels: 0 }), /num_labels must be an integer >= 1, got 0/);
});
