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

/** (B, L, D) hidden state, (B, L) attention mask (1 = real token, 0 = padding) -> (B, L*D) or (B, D). */
export function vectorizeHidden(hidden: tf.Tensor3D, attentionMask: tf.Tensor2D, mode: VectorizeMode): tf.Tensor2D {
  const [b, l, d] = hidden.shape;
  if (attentionMask.shape[0] !== b || attentionMask.shape[1] !== l) {
    throw new Error(`vectorizeHidden: attention mask has shape [${attentionMask.shape}] but the hidden state is [${hidden.shape}]`);
  }
  return tf.tidy(() => {
    switch (mode) {
      case 'flatten': {
        const masked = tf.mul(hidden, tokenMask3d(attentionMask)); // (B, L, D)
        return tf.reshape(masked, [b, l * d]) as tf.Tensor2D; // (B, L*D)
      }
      case 'cls':
        return tf.reshape(tf.slice(hidden, [0, 0, 0], [b, 1, d]), [b, d]) as tf.Tensor2D; // (B, D)
      case 'mean': {
        const mask = tokenMask3d(attentionMask); // (B, L, 1)
        const sum = tf.sum(tf.mul(hidden, mask), 1); // (B, D)
        const count = tf.maximum(tf.sum(mask, 1), 1); // (B, 1); an all-padding sample gives a zero vector
        return tf.div(sum, count) as tf.Tensor2D; // (B, D)
      }
      default:
        throw new Error(`vectorizeHidden: unknown mode '${String(mode)}', expected one of ${VECTORIZE_MODES.join(', ')}`);
    }
  });
}
