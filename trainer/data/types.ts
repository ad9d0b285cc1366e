// A labelled text dataset, as every reader (GLUE, CSV/TSV/JSON lines, the SpamAssassin demo) returns it.

export interface Example {
  /** Where the example comes from, for case analysis and messages: "train.tsv:12", "spam-2/00042". */
  id: string;
  text: string;
  /** The second text of a pair task (MRPC, STS-B, MNLI, ...). */
  textPair?: string;
  /** The class index into `labelNames`, or the score of a regression task. */
  label: number;
}

export interface TextDataset {
  /** e.g. "SST-2 train". */
  name: string;
  /** 'regression': one real-valued label (STS-B); the model then has num_labels = 1. */
  kind: 'classification' | 'regression';
  /** Class names in label order (empty for regression). */
  labelNames: string[];
  examples: Example[];
  /** The file or package it was read from. */
  source: string;
}

/** The number of outputs a model needs for this dataset (BertConfig.num_labels). */
export function numLabels(dataset: TextDataset): number {
  return dataset.kind === 'regression' ? 1 : dataset.labelNames.length;
}
