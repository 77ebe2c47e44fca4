/** One sampled completion, with what the trainer has of it. */
export interface Generation {
  text: string;
  /** Token ids of the completion. */
  tokens?: ArrayLike<number>;
  /** Per sampled token: log-probability under the policy. */
  logprobs?: ArrayLike<number>;
  /** Per sampled token: log-probability under the reference (initial) policy, for KL. */
  refLogprobs?: ArrayLike<number>;
  /** Per token: the policy's full (or top-k) log-probability distribution, flat rows of `width`. */
  distribution?: { data: ArrayLike<number>; width: number };
  /**
   * Per sampled token: the entropy (nats) of the policy's distribution, as the trainer computed it from
   * its logits (TRL's and verl's `entropy`). The policy entropy then needs no `distribution`, which
   * for a large vocabulary is too much to hand over; a `distribution`, when also given, is used instead.
   */
  entropies?: ArrayLike<number>;
  /** True when generation stopped at the length limit instead of EOS. */
  truncated?: boolean;
}
