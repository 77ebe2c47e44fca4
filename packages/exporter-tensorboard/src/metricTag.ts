import { ATTR_GRPO_SPLIT, ATTR_GRPO_WINDOW_SIZE, metricDefinition } from '@grpo-otel/semconv';
import type { Attributes, AttributeValue } from '@opentelemetry/api';

/** Decides whether an attribute is left out of tags (see {@link metricTag}). */
export type OmitAttribute = (key: string, value: AttributeValue) => boolean;

/**
 * The default omissions: `grpo.split` when it is `train` (the default split; `validation` and `test`
 * stay in the tag) and `grpo.window.size` (one window per run: the moving average's tag stays next to
 * the mean's).
 */
export const defaultOmitAttribute: OmitAttribute = (key, value) =>
  (key === ATTR_GRPO_SPLIT && value === 'train') || key === ATTR_GRPO_WINDOW_SIZE;

const MAX_COMPONENT = 100;

/** A tag path component: characters other than `A-Z a-z 0-9 _ . -` become `_`; never empty. */
export function sanitizeTagComponent(value: string): string {
  const s = value.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, MAX_COMPONENT);
  return s === '' ? '_' : s;
}

/** A metric name as a tag prefix: like {@link sanitizeTagComponent} but `/` is kept (no leading one). */
export function sanitizeTagName(name: string): string {
  const s = name.replace(/[^A-Za-z0-9_.\-/]/g, '_').replace(/^\/+/, '');
  return s === '' ? '_' : s;
}

/**
 * The TensorBoard tag of a metric data point:
 *
 *   `<metric name>` then `/<attribute value>` for each attribute not omitted,
 *
 * attributes ordered as the semconv definition of the metric lists them, then any others by key.
 * Values are written alone (booleans and numbers as `String(v)`, arrays joined with `,`) and
 * sanitized by {@link sanitizeTagComponent}, so a value can never add a level. Examples:
 * `grpo.reward.mean{grpo.reward.function=correctness, grpo.split=train}` → `grpo.reward.mean/correctness`;
 * with `grpo.split=validation` → `grpo.reward.mean/correctness/validation`;
 * `grpo.phase.duration{grpo.phase=generation}` → `grpo.phase.duration/generation`.
 * TensorBoard groups tags by their first `/` component: each metric is one group.
 */
export function metricTag(
  name: string,
  attributes: Attributes,
  omit: OmitAttribute = defaultOmitAttribute,
): string {
  let tag = sanitizeTagName(name);
  const keys = Object.keys(attributes);
  if (keys.length === 0) return tag;
  const order = metricDefinition(name)?.attributes ?? [];
  const ordered = order.filter((k) => k in attributes);
  const rest = keys.filter((k) => !order.includes(k)).sort();
  for (const key of [...ordered, ...rest]) {
    const value = attributes[key];
    if (value === undefined || value === null || omit(key, value)) continue;
    tag += `/${sanitizeTagComponent(Array.isArray(value) ? value.join(',') : String(value))}`;
  }
  return tag;
}
