// FLOPs of a BERT forward pass and of the LRC-BERT training step, counted analytically: the matrix
// products only (2 FLOPs per multiply-add), as training FLOPs are usually counted. Element-wise work
// (GELU, softmax, LayerNorm, dropout, AdamW) is left out: a few FLOPs per value against a few hundred
// per value for the products. Shapes: B batch, L sequence, N = B*L tokens, H hidden, F FFN size,
// C labels, h heads (the head count cancels out: h products of (L, H/h) x (H/h, L) make 2*L*L*H).
//
// Forward, per layer:   Q, K, V, output projections   4 * 2*N*H*H  = 8*N*H^2
//                       scores Q K^T and probs V        2 * 2*B*L*L*H = 4*N*L*H
//                       FFN in and out                  2 * 2*N*H*F  = 4*N*H*F
//            + pooler 2*B*H*H + classifier 2*B*H*C (the embedding lookup is no product).
// Backward: every product y = x W gives dx = dy W^T (same FLOPs as the forward product) and, for a
// weight, dW = x^T dy (same again); both operands of the attention products are activations, so both
// get a gradient. Hence backward = 2x forward when every weight is trained, and exactly the dx part
// (1x, attention 2x) when only the gradient with respect to the input is taken (perturbation step 2).
// Loss (per mapped layer, d student and d' teacher hidden size): projection H^s W 2*N*d*d'; COS-NCE with
// 'flatten' vectors compares every pair of the batch: (B, L*d') x (L*d', B) = 2*B*B*L*d'; the teacher's
// vectors are constants, so the backward pass has one product of each (plus dW for the projection).
import type { ModelShape } from './shapes';

export interface PassSize {
  batch: number;
  seq: number;
  labels: number;
}

/** The products of one forward pass, by kind. */
export interface ForwardFlops {
  projections: number;
  attention: number;
  ffn: number;
  head: number;
  total: number;
}

export function forwardFlops(m: ModelShape, { batch: B, seq: L, labels: C }: PassSize): ForwardFlops {
  const N = B * L;
  const H = m.hidden;
  const projections = m.layers * 8 * N * H * H;
  const attention = m.layers * 4 * N * L * H;
  const ffn = m.layers * 4 * N * H * m.intermediate;
  const head = 2 * B * H * H + 2 * B * H * C;
  return { projections, attention, ffn, head, total: projections + attention + ffn + head };
}

/** dx of every product (the gradient with respect to the input only). */
export function inputGradientFlops(m: ModelShape, size: PassSize): number {
  const f = forwardFlops(m, size);
  return f.projections + 2 * f.attention + f.ffn + f.head;
}

/** dW of every weight. */
export function weightGradientFlops(m: ModelShape, size: PassSize): number {
  const f = forwardFlops(m, size);
  return f.projections + f.ffn + f.head;
}

/** L_mid's products, forward, for `mapped` layers: projections and the pairwise cosines. */
export function lossForwardFlops(student: ModelShape, teacher: ModelShape, mapped: number, { batch: B, seq: L }: PassSize): number {
  const N = B * L;
  return mapped * (2 * N * student.hidden * teacher.hidden + 2 * B * B * L * teacher.hidden);
}

export interface StepFlops {
  /** Teacher forward on the clean input. */
  teacher: number;
  /** Student forward from E, L_total, and dL/dE (perturbation steps 1-2). */
  cleanPass: number;
  /** Student forward from E + delta, L_total and the full backward pass (step 4). */
  perturbedPass: number;
  total: number;
}

/** The LRC step with the gradient perturbation (epsilon > 0), stage 2 (every loss term). */
export function lrcStepFlops(teacher: ModelShape, student: ModelShape, size: PassSize): StepFlops {
  const mapped = student.layers; // uniform mapping: one projection per student layer
  const studentForward = forwardFlops(student, size).total;
  const loss = lossForwardFlops(student, teacher, mapped, size); // forward; dx of the loss is the same again, dW of W too
  const t = forwardFlops(teacher, size).total;
  const cleanPass = studentForward + loss + loss + inputGradientFlops(student, size);
  const projectionWeights = mapped * 2 * size.batch * size.seq * student.hidden * teacher.hidden; // dW of each W_i
  const perturbedPass = studentForward + loss + loss + inputGradientFlops(student, size) + weightGradientFlops(student, size) + projectionWeights;
  return { teacher: t, cleanPass, perturbedPass, total: t + cleanPass + perturbedPass };
}
