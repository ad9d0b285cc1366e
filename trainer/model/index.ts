// The BERT model: see bert.ts for the model, weights.ts for names and layouts, config.ts for config.json.
export { Bert, type BertOptions } from './bert';
export { BERT_CONFIG_DEFAULTS, parseBertConfig } from './config';
export { assignHfWeights, fromHfLayout, hfLayoutOf, toHfLayout } from './weights';
export type * from './types';
