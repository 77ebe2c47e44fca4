import * as tf from '@tensorflow/tfjs';

/**
 * Scales the gradients down so that their global L2 norm is at most `maxNorm`. Returns new tensors
 * (the caller disposes them and the inputs) and the norm before clipping.
 */
export function clipGradients(
  grads: tf.NamedTensorMap,
  maxNorm: number,
): { grads: tf.NamedTensorMap; norm: number } {
  const squares = tf.tidy(() => tf.addN(Object.values(grads).map((g) => tf.sum(tf.square(g)))));
  const norm = Math.sqrt(squares.dataSync()[0] ?? 0);
  squares.dispose();
  const scale = norm > maxNorm && Number.isFinite(norm) ? maxNorm / norm : 1;
  const out: tf.NamedTensorMap = {};
  for (const [name, g] of Object.entries(grads)) out[name] = tf.tidy(() => tf.mul(g, scale));
  return { grads: out, norm };
}
