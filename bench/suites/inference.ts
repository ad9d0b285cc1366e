// Suite "inference": teacher vs student latency at the paper's shapes (batch 1 and 16, sequence 128,
// eval mode, logits read back), the speed-up next to the paper's 9.6x and the FLOP ratio; parameters
// and float32 safetensors size next to the paper's 7.5x (109M vs 14.5M).
import * as tf from '@tensorflow/tfjs';
import { serializeSafetensors } from '../../trainer/checkpoint/safetensors';
import { modelToHfArrays } from '../../trainer/checkpoint/hfWeights';
import type { Bert } from '../../trainer/model/bert';
import { forwardFlops } from '../lib/flops';
import { MatMulReference, cpuShare, medianTiming, timeIt, type Timing } from '../lib/measure';
import { buildModel, syntheticInputs } from '../lib/models';
import { fmt, type Table } from '../lib/report';
import { DEMO_SHAPES, PAPER_SHAPES, describeShape, parameterCount, type BenchShapes } from '../lib/shapes';
import type { Suite, SuiteContext } from '../lib/suite';

const PAPER_SPEEDUP = 9.6;
const PAPER_SIZE_RATIO = 7.5;
const PAPER_PARAMETERS = { teacher: 109e6, student: 14.5e6 };

function latency(model: Bert, batch: number, seq: number, runs: number, reference: MatMulReference): Timing {
  const inputs = syntheticInputs(batch, seq, model.config.vocab_size, batch * 31 + seq);
  const once = () => timeIt(() => tf.tidy(() => model.forward(inputs, { training: false }).logits.dataSync())).timing;
  once(); // warm-up: XNNPACK operators, heap growth
  const timings: Timing[] = [];
  for (let i = 0; i < runs; i++) {
    if (runs <= 3) reference.sample(1);
    timings.push(once());
  }
  tf.dispose([inputs.inputIds, inputs.attentionMask, inputs.tokenTypeIds]);
  return medianTiming(timings);
}

function sizeOf(model: Bert): { parameters: number; safetensorsBytes: number } {
  const arrays = modelToHfArrays(model);
  const parameters = [...arrays.values()].reduce((s, a) => s + a.values.length, 0);
  return { parameters, safetensorsBytes: serializeSafetensors(arrays).length };
}

interface Row { shapes: string; batch: number; teacher: Timing; student: Timing; flopRatio: number }

function measure(shapes: BenchShapes, batches: number[], ctx: SuiteContext, reference: MatMulReference) {
  const teacher = buildModel(shapes.teacher, shapes, { trainable: false, seed: 1 });
  const student = buildModel(shapes.student, shapes, { trainable: false, seed: 2 });
  try {
    const rows: Row[] = [];
    for (const batch of batches) {
      const size = { batch, seq: shapes.seq, labels: shapes.labels };
      const heavy = shapes.name === 'paper' && batch > 1;
      ctx.log(`inference ${shapes.name}: batch ${batch}`);
      const t = latency(teacher, batch, shapes.seq, ctx.quick ? 1 : heavy ? 3 : 7, reference);
      const s = latency(student, batch, shapes.seq, ctx.quick ? 3 : heavy ? 7 : 21, reference);
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
    const ref = reference.summary();
    reference.dispose();
    const rows = [...paper.rows, ...demo.rows];
    const latencyTable: Table = {
      title: 'Forward-pass latency (eval mode, logits read back)',
      columns: ['shapes', 'B x L', 'teacher ms', 'student ms', 'speed-up (wall)', 'speed-up (CPU time)', 'FLOP ratio', 'paper', 'teacher share of peak', 'student share of peak', 'CPU share of wall'],
      rows: rows.map((r) => {
        const size = { batch: r.batch, seq: r.shapes === 'paper' ? PAPER_SHAPES.seq : DEMO_SHAPES.seq, labels: 2 };
        const shapes = r.shapes === 'paper' ? PAPER_SHAPES : DEMO_SHAPES;
        const share = (flops: number, t: Timing) => fmt.pct(flops / t.cpuMs / 1e6 / ref.peakCpuGflops);
        return [
          r.shapes, `${r.batch} x ${size.seq}`, fmt.ms(r.teacher.wallMs), fmt.ms(r.student.wallMs),
          fmt.x(r.teacher.wallMs / r.student.wallMs), fmt.x(r.teacher.cpuMs / r.student.cpuMs), fmt.x(r.flopRatio),
          r.shapes === 'paper' ? fmt.x(PAPER_SPEEDUP) : '-',
          share(forwardFlops(shapes.teacher, size).total, r.teacher), share(forwardFlops(shapes.student, size).total, r.student),
          fmt.pct(Math.min(cpuShare(r.teacher), cpuShare(r.student))),
        ];
      }),
      note: `Median latencies. Shares of the CPU-time matMul peak (${fmt.n(ref.peakCpuGflops)} GFLOP/s; wall-time peak ${fmt.n(ref.peakGflops)}, ${ref.what}). The paper's 9.6x is TinyBERT-4's measurement setting (a GPU/CPU of 2020), given for comparison only.`,
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
      rows: [...sizeRow('paper', PAPER_SHAPES, paper.sizes), ...sizeRow('demo', DEMO_SHAPES, demo.sizes)],
      note: `BertForSequenceClassification with ${PAPER_SHAPES.labels} labels, BERT's vocabulary (${PAPER_SHAPES.vocab}) and 512 positions, every weight as the export writes it; "counted from the shape" is parameterCount() in bench/lib/shapes.ts, an independent count. Paper-shape student: embeddings 9.68M, 4 layers 4.57M, pooler and classifier 0.10M; the paper's 14.5M and 109M are the published TinyBERT-4 and BERT-base figures. The projections W_i (4 x 312 x 768 = 0.96M) exist during training only and are not exported.`,
    };
    return { tables: [latencyTable, sizeTable], notes: [], data: { reference: ref, paper, demo } };
  },
};
