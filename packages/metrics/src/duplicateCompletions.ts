import { type GroupingOptions, groupSizesOf } from './internal/groups.js';

export interface DuplicateCompletions {
  /** duplicates / total: the share of completions identical to an earlier one of their group (NaN when empty). */
  rate: number;
  /** Sum over groups of (size - distinct completions). */
  duplicates: number;
  /** Completions in a group. */
  total: number;
  /** Groups containing at least one duplicate. */
  groupsWithDuplicates: number;
  /** Groups of two or more whose completions are all identical (no learning signal: zero reward std). */
  identicalGroups: number;
  /** Number of groups (including empty ones). */
  groups: number;
}

/**
 * Exact duplicate completions within each prompt's group (consecutive `groupSize` completions, TRL's
 * layout, or explicit `groupSizes`). Comparison is exact string equality after `normalize` (default:
 * none; pass e.g. `(s) => s.trim()` to ignore surrounding whitespace). Non-strings compare as their
 * String() value.
 */
export function duplicateCompletions(
  texts: readonly string[],
  options?: GroupingOptions & { normalize?: (text: string) => string },
): DuplicateCompletions {
  const sizes = groupSizesOf(texts.length, options, 'duplicateCompletions');
  const norm = options?.normalize;
  const seen = new Set<string>();
  let duplicates = 0;
  let total = 0;
  let groupsWithDuplicates = 0;
  let identicalGroups = 0;
  let start = 0;
  for (let g = 0; g < sizes.length; g++) {
    const end = Math.min(texts.length, start + sizes[g]!);
    seen.clear();
    for (let i = start; i < end; i++) {
      const t = String(texts[i]);
      seen.add(norm ? norm(t) : t);
    }
    const size = end - start;
    const dup = size - seen.size;
    duplicates += dup;
    total += size;
    if (dup > 0) groupsWithDuplicates++;
    if (size >= 2 && seen.size === 1) identicalGroups++;
    start = end;
  }
  return {
    rate: total > 0 ? duplicates / total : Number.NaN,
    duplicates,
    total,
    groupsWithDuplicates,
    identicalGroups,
    groups: sizes.length,
  };
}
