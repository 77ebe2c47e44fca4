import {
  ATTR_GRPO_RANK,
  ATTR_GRPO_RUN_ID,
  ATTR_SERVICE_INSTANCE_ID,
  ATTR_SERVICE_NAME,
} from '@grpo-otel/semconv';
import type { Attributes } from '@opentelemetry/api';

/** Which run (and rank) a resource's data belongs to. */
export interface RunIdentity {
  /** The run's directory name under the sink's output folder (and its TensorBoard run). */
  run: string;
  /** `grpo.rank`, when the resource has one. */
  rank?: number;
}

const MAX_NAME = 128;

/** A resource attribute value as one safe path component: [A-Za-z0-9._-], at most 128 characters. */
export function safeRunName(value: string): string {
  const s = value.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, MAX_NAME);
  return s === '' || /^\.+$/.test(s) ? '_' : s;
}

/**
 * The run of a resource: `grpo.run.id`, else `<service.name>-<service.instance.id>` (either part
 * alone when the other is missing), else `unknown`; made safe as a directory name. With
 * `splitByRank`, a resource with `grpo.rank` gets its own run `<run>/rank-<rank>` (a TensorBoard run
 * per rank); without, every rank of a run writes to one run.
 */
export function runIdentity(attributes: Attributes, splitByRank = false): RunIdentity {
  const str = (k: string): string | undefined => {
    const v = attributes[k];
    return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined;
  };
  const id = str(ATTR_GRPO_RUN_ID);
  const parts = [str(ATTR_SERVICE_NAME), str(ATTR_SERVICE_INSTANCE_ID)].filter((x) => x !== undefined);
  const base = safeRunName(id ?? (parts.length > 0 ? parts.join('-') : 'unknown'));
  const rankValue = attributes[ATTR_GRPO_RANK];
  const rankNumber = typeof rankValue === 'string' ? Number(rankValue) : rankValue;
  const rank =
    typeof rankNumber === 'number' && Number.isSafeInteger(rankNumber) && rankNumber >= 0
      ? rankNumber
      : undefined;
  const run = splitByRank && rank !== undefined ? `${base}/rank-${rank}` : base;
  return rank !== undefined ? { run, rank } : { run };
}
