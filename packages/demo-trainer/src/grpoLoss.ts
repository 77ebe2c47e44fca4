import * as tf from '@tensorflow/tfjs';

export interface GrpoLossInputs {
  /** log pi_theta per completion token [B, C] (differentiable). */
  logprobs: tf.Tensor2D;
  /** log pi_old per token [B, C]: the policy that sampled the completions. */
  oldLogprobs: tf.Tensor2D;
  /** log pi_ref per token [B, C]: the frozen reference policy. */
  refLogprobs: tf.Tensor2D;
  /** Advantage per completion [B]. */
  advantages: tf.Tensor1D;
  /** 1 for real completion tokens, 0 for padding [B, C]. */
  mask: tf.Tensor2D;
  /** PPO clip range: ratios are clipped to [1 - epsilon, 1 + epsilon]. */
  epsilon: number;
  /** KL penalty coefficient. */
  beta: number;
}

export interface GrpoLossTerms {
  /** The scalar to minimise. */
  loss: tf.Scalar;
  /** Mean per-token KL(pi_theta || pi_ref), k3 estimator. */
  kl: tf.Scalar;
  /** Fraction of tokens whose ratio fell below 1 - epsilon with a negative advantage. */
  clipLow: tf.Scalar;
  /** Fraction of tokens whose ratio rose above 1 + epsilon with a positive advantage. */
  clipHigh: tf.Scalar;
}

function maskedMean(x: tf.Tensor, mask: tf.Tensor2D): tf.Scalar {
  return tf.div(tf.sum(tf.mul(x, mask)), tf.maximum(tf.sum(mask), 1)) as tf.Scalar;
}

/**
 * The GRPO objective (DeepSeekMath): per token, the PPO clipped surrogate
 * -min(r A, clip(r, 1-eps, 1+eps) A) with r = pi_theta / pi_old, plus beta times the k3 estimate of
 * KL(pi_theta || pi_ref) = exp(ref - logp) - (ref - logp) - 1; averaged over each completion's
 * tokens, then over the completions.
 */
export function grpoLoss(x: GrpoLossInputs): GrpoLossTerms {
  const adv = tf.expandDims(x.advantages, 1);
  const ratio = tf.exp(tf.sub(x.logprobs, x.oldLogprobs));
  const unclipped = tf.mul(ratio, adv);
  const clipped = tf.mul(tf.clipByValue(ratio, 1 - x.epsilon, 1 + x.epsilon), adv);
  const surrogate = tf.neg(tf.minimum(unclipped, clipped));
  const d = tf.sub(x.refLogprobs, x.logprobs);
  const klPerToken = tf.sub(tf.sub(tf.exp(d), d), 1);
  const perToken = x.beta === 0 ? surrogate : tf.add(surrogate, tf.mul(klPerToken, x.beta));
  const perSequence = tf.div(tf.sum(tf.mul(perToken, x.mask), 1), tf.maximum(tf.sum(x.mask, 1), 1));
  const loss = tf.mean(perSequence) as tf.Scalar;
  const lowMask = tf.cast(tf.logicalAnd(tf.less(ratio, 1 - x.epsilon), tf.less(adv, 0)), 'float32');
  const highMask = tf.cast(tf.logicalAnd(tf.greater(ratio, 1 + x.epsilon), tf.greater(adv, 0)), 'float32');
  return {
    loss,
    kl: maskedMean(klPerToken, x.mask),
    clipLow: maskedMean(lowMask, x.mask),
    clipHigh: maskedMean(highMask, x.mask),
  };
}
