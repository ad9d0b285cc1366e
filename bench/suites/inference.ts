// Suite "inference": teacher vs student latency (eval mode, logits read back) at the paper's shapes
// (batch 1 and 16, sequence 128), the demo's and the GLUE experiments' (docs/results.md); the speed-up
// next to the paper's 9.6x and the FLOP ratio; parameters and float32 safetensors size next to the
// paper's 7.5x (109M vs 14.5M).
import * as tf from '@tensorflow/tfjs';
import { serializeSafetensors } from '../../trainer/checkpoint/safetensors';
import { modelToHfArrays } from '../../trainer/checkpoint/hfWeights';
import type { Bert } from '../../trainer/model/bert';
import { forwardFlops } from '../lib/flops';
import { MatMulReference, cpuShare, medianTiming, timeIt, type Timing } from '../lib/measure';
import { buildModel, syntheticInputs } from '../lib/models';
import { fmt, type Table } from '../lib/report';
import { DEMO_SHAPES, GLUE_SHAPES, PAPER_SHAPES, describeShape, parameterCount, type BenchShapes } from '../lib/shapes';
import type { Suite, SuiteContext } from '../lib/suite';

const PAPER_SPEEDUP = 9.6;
const PAPER_SIZE_RATIO = 7.5;
const PAPER_PARAMETERS = { teacher: 109e6, student: 14.5e6 };

interface Latency { best: Timing; median: Timing }

/**
 * Teacher and student latencies, measured in turns (one teacher pass, then `studentRuns` student passes,
 * `rounds` times) so that a busy moment of the machine falls on both. Best (least disturbed) and median.
 */
function latencies(teacher: Bert, student: Bert, batch: number, seq: number, rounds: number, studentRuns: number, reference: MatMulReference): { teacher: Latency; student: Latency } {
  const inputs = syntheticInputs(batch, seq, teacher.config.vocab_size, batch * 31 + seq);
  const once = (model: Bert) => timeIt(() => tf.tidy(() => model.forward(inputs, { training: false }).logits.dataSync())).timing;
  once(teacher); // warm-up: XNNPACK operators, heap growth
  once(student);
  const t: Timing[] = [];
  const s: Timing[] = [];
  for (let r = 0; r < rounds; r++) {
    reference.sample(1);
    t.push(once(teacher));
    for (let i = 0; i < studentRuns; i++) s.push(once(student));
  }
  tf.dispose([inputs.inputIds, inputs.attentionMask, inputs.tokenTypeIds]);
  const best = (list: Timing[]) => list.reduce((a, b) => (b.wallMs < a.wallMs ? b : a));
  return { teacher: { best: best(t), median: medianTiming(t) }, student: { best: best(s), median: medianTiming(s) } };
}

function sizeOf(model: Bert): { parameters: number; safetensorsBytes: number } {
  const arrays = modelToHfArrays(model);
  const parameters = [...arrays.values()].reduce((s, a) => s + a.values.length, 0);
  return { parameters, safetensorsBytes: serializeSafetensors(arrays).length };
}

interface Row { shapes: string; batch: number; teacher: Latency; student: Latency; flopRatio: number }

function measure(shapes: BenchShapes, batches: number[], ctx: SuiteContext, reference: MatMulReference) {
  const teacher = buildModel(shapes.teacher, shapes, { trainable: false, seed: 1 });
  const student = buildModel(shapes.student, shapes, { trainable: false, seed: 2 });
  try {
    const rows: Row[] = [];
    for (const batch of batches) {
      const size = { batch, seq: shapes.seq, labels: shapes.labels };
      const heavy = shapes.name === 'paper' && batch > 1;
      ctx.log(`inference ${shapes.name}: batch ${batch}`);
      const rounds = ctx.quick ? (heavy ? 1 : 3) : heavy ? 3 : 9;
      const { teacher: t, student: s } = latencies(teacher, student, batch, shapes.seq, rounds, 3, reference);
      rows.push({ shapes: shapes.name, batch, teacher: t, student: s, flopRatio: forwardFlops(shapes.teacher, size).total / forwardFlops(shapes.student, size).total });
    }
    return { rows, sizes: { teacher: sizeOf(teacher), student: sizeOf(student) } };
  } finally {
    teacher.dispose();
    student.dispose();
  }
}

export const inferenceSuite: Suite = {
  name: 'inference',
  title: 'Inference: teacher vs student',
  needsBackend: true,
  async run(ctx) {
    const reference = new MatMulReference();
    reference.sample(5);
    const paper = measure(PAPER_SHAPES, [1, 16], ctx, reference);
    const demo = measure(DEMO_SHAPES, [1, 16], ctx, reference);
    const glue = measure(GLUE_SHAPES, [1, 32], ctx, reference);
    const ref = reference.summary();
    reference.dispose();
    const rows = [...paper.rows, ...demo.rows, ...glue.rows];
    const SHAPES = { paper: PAPER_SHAPES, demo: DEMO_SHAPES, glue: GLUE_SHAPES };
    const latencyTable: Table = {
      title: 'Forward-pass latency (eval mode, logits read back)',
      columns: ['shapes', 'B x L', 'teacher ms (best / median)', 'student ms (best / median)', 'speed-up (best wall)', 'speed-up (median CPU time)', 'FLOP ratio', 'paper', 'teacher share of peak', 'student share of peak', 'CPU share of wall'],
      rows: rows.map((r) => {
        const shapes = SHAPES[r.shapes as keyof typeof SHAPES];
        const size = { batch: r.batch, seq: shapes.seq, labels: 2 };
        const share = (flops: number, t: Timing) => fmt.pct(flops / t.wallMs / 1e6 / ref.peakGflops);
        return [
          r.shapes, `${r.batch} x ${size.seq}`, `${fmt.ms(r.teacher.best.wallMs)} / ${fmt.ms(r.teacher.median.wallMs)}`, `${fmt.ms(r.student.best.wallMs)} / ${fmt.ms(r.student.median.wallMs)}`,
          fmt.x(r.teacher.best.wallMs / r.student.best.wallMs), fmt.x(r.teacher.median.cpuMs / r.student.median.cpuMs), fmt.x(r.flopRatio),
          r.shapes === 'paper' ? fmt.x(PAPER_SPEEDUP) : '-',
          share(forwardFlops(shapes.teacher, size).total, r.teacher.best), share(forwardFlops(shapes.student, size).total, r.student.best),
          fmt.pct(Math.min(cpuShare(r.teacher.median), cpuShare(r.student.median))),
        ];
      }),
      note: `Teacher and student measured in turns (one teacher pass, three student passes, repeated), after a warm-up pass each. "best" is the least disturbed run, the estimate of the time on a quiet machine; shares of the matMul peak (${fmt.n(ref.peakGflops)} GFLOP/s, ${ref.what}) use it. The CPU-time ratio uses medians. The paper's 9.6x was measured on other hardware (TinyBERT-4's setting), given for comparison only.`,
    };
    const sizeRow = (name: string, shapes: BenchShapes, s: typeof paper.sizes) => {
      const analytic = { teacher: parameterCount(shapes.teacher, shapes.vocab, shapes.labels), student: parameterCount(shapes.student, shapes.vocab, shapes.labels) };
      return [
        [name, 'teacher', describeShape(shapes.teacher), fmt.int(s.teacher.parameters), fmt.int(analytic.teacher), fmt.mib(s.teacher.safetensorsBytes), name === 'paper' ? fmt.int(PAPER_PARAMETERS.teacher) : '-', '-'],
        [name, 'student', describeShape(shapes.student), fmt.int(s.student.parameters), fmt.int(analytic.student), fmt.mib(s.student.safetensorsBytes), name === 'paper' ? fmt.int(PAPER_PARAMETERS.student) : '-', '-'],
        [name, 'ratio', '', fmt.x(s.teacher.parameters / s.student.parameters, 2), '', fmt.x(s.teacher.safetensorsBytes / s.student.safetensorsBytes, 2), name === 'paper' ? fmt.x(PAPER_PARAMETERS.teacher / PAPER_PARAMETERS.student, 2) : '-', name === 'paper' ? fmt.x(PAPER_SIZE_RATIO) : '-'],
      ];
    };
    const sizeTable: Table = {
      title: 'Parameters and size on disk (model.safetensors, float32, as the export writes it)',
      columns: ['shapes', 'model', 'shape', 'parameters', 'counted from the shape', 'safetensors', 'paper parameters', 'paper ratio'],
      rows: [...sizeRow('paper', PAPER_SHAPES, paper.sizes), ...sizeRow('demo', DEMO_SHAPES, demo.sizes), ...sizeRow('glue', GLUE_SHAPES, glue.sizes)],
      note: `BertForSequenceClassification with ${PAPER_SHAPES.labels} labels, BERT's vocabulary (${PAPER_SHAPES.vocab}) and 512 positions, every weight as the export writes it; "counted from the shape" is parameterCount() in bench/lib/shapes.ts, an independent count. Paper-shape student: embeddings 9.68M, 4 layers 4.57M, pooler and classifier 0.10M; the paper's 14.5M and 109M are the published TinyBERT-4 and BERT-base figures. The projections W_i (4 x 312 x 768 = 0.96M) exist during training only and are not exported.`,
    };
    return { tables: [latencyTable, sizeTable], notes: [], data: { reference: ref, paper, demo, glue } };
  },
};
