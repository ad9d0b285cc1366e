// The general-distillation runs of a sweep, in its report: what each one is (the student's shape, the
// teacher, the corpus), how far it got, how its student agrees with the teacher on the passages held out
// from the corpus (the mapped layers' mean cosine, the primary metric; the COS-NCE loss; the angular
// distance of each mapped layer: trainer/general/evaluateGeneral.ts) and which task cells start from it.
import type { RunStatus } from '../../runs/runRecord';
import type { RunDetails } from './types';

export interface StudentShape { layers: number; hidden: number; heads: number; intermediate: number }

/** One general run of a sweep, as the report sees it (fed by the sweep code from its planned config and run folder). */
export interface SweepGeneralResult {
  runId: string;
  /** The levels of the general stage's `per` axes ({} for one general run for the whole sweep). */
  cell: Record<string, string>;
  status: RunStatus;
  student?: StudentShape;
  /** The teacher: its folder (teacher.path) or its run id. */
  teacher?: string;
  /** The corpus files and folders, and how a .txt file is cut into passages ('lines' or 'documents'). */
  corpus?: { paths: string[]; text?: string };
  /** 'cosine'. */
  primary?: string;
  /** The evaluation of its exported (best) student; null where undefined. */
  metrics?: Record<string, number | null>;
  /** Its last evaluation. */
  last?: Record<string, number | null>;
  details?: RunDetails;
}

/** One row of the general runs table. */
export interface GeneralRow {
  runId: string;
  cell: Record<string, string>;
  status: RunStatus;
  student: StudentShape | null;
  teacher: string | null;
  corpus: string[];
  /** How a .txt file of the corpus is cut ('lines', 'documents'); null where unknown. */
  corpusText: string | null;
  /** Steps done and planned; NaN where unknown. */
  step: number;
  totalSteps: number;
  primary: string | null;
  /** The primary metric of the exported student (the mapped layers' mean cosine); NaN unless it finished with a finite one. */
  value: number;
  /** The step of the evaluation the export is from; NaN where unknown. */
  bestStep: number;
  /** Every metric of that evaluation (NaN for null); empty unless it finished. */
  metrics: Record<string, number>;
  /** The primary metric at its last evaluation; NaN unless it finished. */
  last: number;
  /** Training wall time; NaN where unknown. */
  trainSeconds: number;
  /** The cells whose students start from it (studentInit "(general)"), in axis/level order, and their runs. */
  startedCells: Record<string, string>[];
  startedRuns: number;
}
