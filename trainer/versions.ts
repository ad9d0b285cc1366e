// The versions the trainer reports in `hello` and writes into each run: Node, TensorFlow.js and the
// trainer itself.
import * as tf from '@tensorflow/tfjs';
import { version as trainerVersion } from '../package.json';

export function trainerVersions(): Record<string, string> {
  return { trainer: trainerVersion, node: process.versions.node, tfjs: tf.version.tfjs };
}
