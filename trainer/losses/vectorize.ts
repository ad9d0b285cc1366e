// vec(H): one vector per sample from a hidden state (B, L, D), the input of the angular distance.
//   'flatten' (default): the L x D matrix flattened to L*D values, rows of padding tokens set to zero;
//   'cls':  the first token's row (D);
//   'mean': the mean of the rows of real tokens (D).
import * as tf from '@tensorflow/tfjs';

import { VECTORIZE_MODES, type VectorizeMode } from './config';

export { VECTORIZE_MODES, type VectorizeMode } from './config';

/** The attention mask (B, L) as float32 of shape (B, L, 1), to multiply a hidden state with. */
export function tokenMask3d(attentionMask: tf.Tensor2D): tf.Tensor3D {
  return tf.tidy(() => tf.expandDims(tf.cast(attentionMask, 'float32'), 2) as tf.Tensor3D); // (B, L, 1)
}

/**
 * (B, L, D) hidden state, (B, L) attention mask (1 = real token, 0 = padding) -> (B, L*D) or (B, D).
 * Leading axes are kept: (M, B, L, D) -> (M, B, L*D) or (M, B, D), e.g. M mapped layers at once.
 */
export function vectorizeHidden<R extends tf.Rank.R2 | tf.Rank.R3 = tf.Rank.R2>(hidden: tf.Tensor3D | tf.Tensor4D, attentionMask: tf.Tensor2D, mode: VectorizeMode): tf.Tensor<R> {
  const lead = hidden.shape.slice(0, -3);
  const [b, l, d] = hidden.shape.slice(-3);
  if (hidden.rank !== 3 && hidden.rank !== 4) throw new Error(`vectorizeHidden: hidden state must be (B, L, D) or (M, B, L, D), got shape [${hidden.shape}]`);
  if (attentionMask.shape[0] !== b || attentionMask.shape[1] !== l) {
    throw new Error(`vectorizeHidden: attention mask has shape [${attentionMask.shape}] but the hidden state is [${hidden.shape}]`);
  }
  return tf.tidy(() => {
    switch (mode) {
      case 'flatten': {
        const masked = tf.mul(hidden, tokenMask3d(attentionMask)); // (..., B, L, D)
        return tf.reshape<tf.Rank>(masked, [...lead, b, l * d]) as tf.Tensor<R>; // (..., B, L*D)
      }
      case 'cls':
        return tf.reshape<tf.Rank>(tf.slice(hidden, [...lead.map(() => 0), 0, 0, 0], [...lead, b, 1, d]), [...lead, b, d]) as tf.Tensor<R>; // (..., B, D)
      case 'mean': {
        const mask = tokenMask3d(attentionMask); // (B, L, 1)
        const sum = tf.sum(tf.mul(hidden, mask), -2); // (..., B, D)
        const count = tf.maximum(tf.sum(mask, 1), 1); // (B, 1); an all-padding sample gives a zero vector
        return tf.div(sum, count) as tf.Tensor<R>; // (..., B, D)
      }
      default:
        throw new Error(`vectorizeHidden: unknown mode '${String(mode)}', expected one of ${VECTORIZE_MODES.join(', ')}`);
    }
  });
}
