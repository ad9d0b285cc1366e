// Which projection carries each student layer into the teacher's space in the distance grid.
//
// The grid compares every student layer i = 0..M with every teacher layer j = 0..N, but only the mapped
// student layers have a learned W_k (resolveLayerMapping maps 1..M, so layer 0, the embedding output, never
// has one; a partial mapping would leave others without). The policy for those rows:
//   'nearest' (default): W of the mapped student layer nearest in depth (a tie goes to the lower layer;
//       layer 0 gets W of layer 1). W_k is trained on the residual stream at layer k, and that stream
//       changes gradually from layer to layer (each layer adds to it, LayerNorm keeps its scale), so the
//       neighbour's W is the best linear map into the teacher's space that the run has learned. Identity
//       would be meaningless: the student's basis is learned from scratch and is tied to the teacher's only
//       through the W_k, and when d != d' it does not even exist.
//   'identity': H_i^s itself; only when the student's width equals the teacher's (else an error).
//   'skip': the row is left out (null in the grid).
// Mapped rows always use their own W_k, whatever the policy.
import type { LayerPair } from '../losses/layerMapping';

export type UnprojectedLayerPolicy = 'nearest' | 'identity' | 'skip';
export const UNPROJECTED_LAYER_POLICIES: readonly UnprojectedLayerPolicy[] = ['nearest', 'identity', 'skip'];
export const DEFAULT_UNPROJECTED_LAYER_POLICY: UnprojectedLayerPolicy = 'nearest';

/**
 * The projection of one grid row: `{ projection: k }` is W_k of mapping entry k (the projection of
 * student layer `mapping[k].student`), 'identity' is none, null is a skipped row.
 */
export type RowProjection = { projection: number } | 'identity' | null;

export interface RowProjectionShape {
  /** M: the student's layers (rows 0..M). */
  studentLayers: number;
  studentHidden: number;
  teacherHidden: number;
}

/** One entry per student layer 0..M. */
export function rowProjections(mapping: readonly LayerPair[], shape: RowProjectionShape, policy: UnprojectedLayerPolicy): RowProjection[] {
  const { studentLayers, studentHidden, teacherHidden } = shape;
  if (!UNPROJECTED_LAYER_POLICIES.includes(policy)) {
    throw new Error(`unprojected layer policy '${String(policy)}' is unknown, expected one of ${UNPROJECTED_LAYER_POLICIES.join(', ')}`);
  }
  if (mapping.length === 0) throw new Error('distance grid: the layer mapping is empty, no student layer has a projection');
  const own = new Map<number, number>();
  mapping.forEach(({ student }, k) => {
    if (!Number.isInteger(student) || student < 1 || student > studentLayers) {
      throw new Error(`distance grid: mapping entry ${k} names student layer ${student} but the student has layers 1..${studentLayers}`);
    }
    if (own.has(student)) throw new Error(`distance grid: student layer ${student} is mapped twice (entries ${own.get(student)} and ${k})`);
    own.set(student, k);
  });
  if (policy === 'identity' && studentHidden !== teacherHidden) {
    throw new Error(`unprojected layer policy 'identity' needs equal widths, but the student has hidden size ${studentHidden} and the teacher ${teacherHidden}; use 'nearest' or 'skip'`);
  }
  const mapped = [...own.keys()].sort((a, b) => a - b);
  return Array.from({ length: studentLayers + 1 }, (_, i): RowProjection => {
    const k = own.get(i);
    if (k !== undefined) return { projection: k };
    if (policy === 'identity') return 'identity';
    if (policy === 'skip') return null;
    // Nearest mapped layer; sorted ascending, so the first of equal distances is the lower layer.
    let best = mapped[0];
    for (const m of mapped) if (Math.abs(m - i) < Math.abs(best - i)) best = m;
    return { projection: own.get(best)! };
  });
}
