// Which teacher layer each student layer learns from. Layers count from 1 (layer 0 is the embedding
// output). Uniform: phi(i) = i * N / M for i = 1..M, rounded to the nearest layer when M does not divide N
// (N = 12, M = 4 gives 3, 6, 9, 12; N = 12, M = 5 gives 2, 5, 7, 10, 12). Explicit: a list of M teacher
// layers, entry i-1 for student layer i, each in 1..N.
import { UserError } from '../errors';

export type LayerMappingSpec = 'uniform' | readonly number[];

export interface LayerPair {
  /** Student layer i, 1..M: index into the student's hiddenStates. */
  student: number;
  /** Teacher layer phi(i), 1..N: index into the teacher's hiddenStates. */
  teacher: number;
}

/** The mapped pairs, validated against the student's depth M and the teacher's depth N. */
export function resolveLayerMapping(spec: LayerMappingSpec, studentLayers: number, teacherLayers: number): LayerPair[] {
  if (!Number.isInteger(studentLayers) || studentLayers < 1) {
    throw new UserError(`layer mapping: the student must have at least 1 layer, got ${studentLayers}`);
  }
  if (!Number.isInteger(teacherLayers) || teacherLayers < 1) {
    throw new UserError(`layer mapping: the teacher must have at least 1 layer, got ${teacherLayers}`);
  }
  if (spec === 'uniform') {
    return Array.from({ length: studentLayers }, (_, k) => ({
      student: k + 1,
      teacher: Math.round(((k + 1) * teacherLayers) / studentLayers),
    }));
  }
  if (!Array.isArray(spec)) {
    throw new UserError(`layer mapping must be 'uniform' or a list of teacher layers, got ${JSON.stringify(spec)}`);
  }
  const shown = `[${spec.join(',')}]`;
  if (spec.length !== studentLayers) {
    throw new UserError(`layer mapping ${shown} has ${spec.length} entries but the student has ${studentLayers} layers (one teacher layer per student layer)`);
  }
  return spec.map((t, k) => {
    if (!Number.isInteger(t)) throw new UserError(`layer mapping ${shown}: entry ${k + 1} (${t}) is not a whole layer number`);
    if (t < 1) throw new UserError(`layer mapping ${shown} names teacher layer ${t} but teacher layers count from 1 (0 is the embedding output)`);
    if (t > teacherLayers) throw new UserError(`layer mapping ${shown} names teacher layer ${t} but the teacher has ${teacherLayers}`);
    return { student: k + 1, teacher: t };
  });
}
