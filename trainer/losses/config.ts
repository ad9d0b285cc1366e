// The loss settings of a distillation run, with the defaults of docs/lrc-bert.md.
import type { NegativeSelection } from './cosNce';
import type { IntermediateLossKind } from './intermediate';
import type { LayerMappingSpec } from './layerMapping';

/** vec(H): 'flatten' (L x d' with padding rows zeroed), 'cls' (first token) or 'mean' (masked mean). */
export type VectorizeMode = 'flatten' | 'cls' | 'mean';
export const VECTORIZE_MODES: readonly VectorizeMode[] = ['flatten', 'cls', 'mean'];

/** Default eps of the smoothed norm of the angular distance; small against the norm of any real hidden-state vector. */
export const DEFAULT_ANGULAR_EPS = 1e-6;

export interface LossConfig {
  /** L_mid: 'cosnce' (LRC-BERT) or 'mse' (the baseline, TinyBERT's hidden loss). */
  intermediate: IntermediateLossKind;
  /** Student layer i -> teacher layer phi(i): 'uniform' (i * N / M) or an explicit list of M teacher layers. */
  layerMapping: LayerMappingSpec;
  /** vec(H): 'flatten' (L x d' with padding rows zeroed), 'cls' or 'mean'. */
  vectorize: VectorizeMode;
  /** COS-NCE negatives: 'all' other samples of the batch (K = B - 1) or only those with a 'differentLabel'. */
  negatives: NegativeSelection;
  /** eps of the smoothed norms of the angular distance. */
  angularEps: number;
  /** Multiply L_soft by T^2 (classification only). */
  softTimesTSquared: boolean;
  /** Standard deviation of the projections' normal initialisation. */
  projectionInitStd: number;
}

export const DEFAULT_LOSS_CONFIG: Readonly<LossConfig> = {
  intermediate: 'cosnce',
  layerMapping: 'uniform',
  vectorize: 'flatten',
  negatives: 'all',
  angularEps: DEFAULT_ANGULAR_EPS,
  softTimesTSquared: true,
  projectionInitStd: 0.02,
};
