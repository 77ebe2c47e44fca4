/** How a flat batch is split into prompt groups. */
export interface GroupingOptions {
  /**
   * Completions per prompt (TRL's `num_generations`): consecutive runs of `groupSize` entries form a
   * group; a shorter trailing run is its own group. Default: the whole batch is one group.
   */
  groupSize?: number;
  /**
   * Explicit group sizes instead of `groupSize` (a 0 is an empty group). Entries past their sum belong
   * to no group; groups running past the end of the batch are truncated.
   */
  groupSizes?: ArrayLike<number>;
}

/** The validated group sizes for a batch of `n` entries (see {@link GroupingOptions}). */
export function groupSizesOf(
  n: number,
  options: GroupingOptions | undefined,
  who: string,
): ArrayLike<number> {
  if (options?.groupSizes) {
    const sizes = options.groupSizes;
    for (let i = 0; i < sizes.length; i++) {
      const s = sizes[i]!;
      if (!Number.isInteger(s) || s < 0) {
        throw new RangeError(`${who}: groupSizes[${i}] must be a non-negative integer, got ${s}`);
      }
    }
    return sizes;
  }
  const g = options?.groupSize ?? Math.max(n, 1);
  if (!Number.isInteger(g) || g < 1)
    throw new RangeError(`${who}: groupSize must be a positive integer, got ${g}`);
  const k = Math.ceil(n / g);
  const s = new Float64Array(k).fill(g);
  if (k > 0) s[k - 1] = n - g * (k - 1);
  return s;
}
