import { ATTR_GRPO_SPLIT } from './attributeKeys.js';
import type { Split } from './attributeValues.js';
import {
  FRAMEWORKS,
  type Framework,
  KNOWN_NAME_MAPPINGS,
  type KnownNameMapping,
} from './knownNameMappings.js';
import type { MetricDefinition } from './MetricDefinition.js';
import { metricDefinition } from './metrics.js';

export interface KnownNameResolution {
  /** Our metric definition. */
  readonly metric: MetricDefinition;
  /** Attributes to record with, placeholders filled in (plus `grpo.split` from a `train/`/`eval_` prefix). */
  readonly attributes: Readonly<Record<string, string | number | boolean>>;
  /** Multiply the framework's value by this before recording. */
  readonly scale: number;
  /** The framework's value is a running total: record the increase since the previous value. */
  readonly cumulative: boolean;
  /** The mapping that matched. */
  readonly mapping: KnownNameMapping;
}

export interface LookupKnownNameOptions {
  /** Only consider this framework's names; otherwise TRL, then verl, then OpenRLHF. */
  readonly framework?: Framework;
}

interface Matcher {
  readonly mapping: KnownNameMapping;
  readonly metric: MetricDefinition;
  readonly regex: RegExp;
  readonly placeholders: readonly string[];
}

const PLACEHOLDER = /<([a-z_]+)>/g;

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function compile(mapping: KnownNameMapping): Matcher {
  const placeholders: string[] = [];
  let source = '';
  let last = 0;
  for (const m of mapping.name.matchAll(PLACEHOLDER)) {
    source += escapeRegex(mapping.name.slice(last, m.index));
    source += '([^/]+)';
    placeholders.push(`<${m[1]}>`);
    last = m.index + m[0].length;
  }
  source += escapeRegex(mapping.name.slice(last));
  const metric = metricDefinition(mapping.metric);
  return { mapping, metric, regex: new RegExp(`^${source}$`), placeholders };
}

// Exact names before templates, then framework priority, then declaration order (stable sort).
const MATCHERS: readonly Matcher[] = KNOWN_NAME_MAPPINGS.map(compile).sort((a, b) => {
  const templated = Number(a.placeholders.length > 0) - Number(b.placeholders.length > 0);
  if (templated !== 0) return templated;
  return FRAMEWORKS.indexOf(a.mapping.framework) - FRAMEWORKS.indexOf(b.mapping.framework);
});

/** Logging prefixes that say which split a value belongs to (Weights & Biases `train/`, TRL `eval_`). */
export const SPLIT_PREFIXES: readonly { readonly prefix: string; readonly split: Split }[] = [
  { prefix: 'train/', split: 'train' },
  { prefix: 'eval/', split: 'validation' },
  { prefix: 'eval_', split: 'validation' },
];

function match(name: string, framework: Framework | undefined): KnownNameResolution | undefined {
  for (const m of MATCHERS) {
    if (framework !== undefined && m.mapping.framework !== framework) continue;
    const found = m.regex.exec(name);
    if (found === null) continue;
    const attributes: Record<string, string | number | boolean> = {};
    for (const [key, value] of Object.entries(m.mapping.attributes)) {
      const index = typeof value === 'string' ? m.placeholders.indexOf(value) : -1;
      attributes[key] = index >= 0 ? (found[index + 1] as string) : value;
    }
    return {
      metric: m.metric,
      attributes,
      scale: m.mapping.scale ?? 1,
      cumulative: m.mapping.cumulative ?? false,
      mapping: m.mapping,
    };
  }
  return undefined;
}

/**
 * Resolves a metric name known from TRL, verl or OpenRLHF to our metric and attributes, so trainers can
 * keep logging the names they know:
 * `lookupKnownName('rewards/correctness_reward/mean')` ->
 * `{ metric: <grpo.reward.mean>, attributes: { 'grpo.reward.function': 'correctness_reward' }, ... }`.
 *
 * A `train/`, `eval/` or `eval_` prefix is understood: it adds `grpo.split` when the metric has that
 * attribute; a validation value of a metric without it (training-only) does not resolve.
 * Returns undefined for unknown names.
 */
export function lookupKnownName(
  frameworkName: string,
  options: LookupKnownNameOptions = {},
): KnownNameResolution | undefined {
  const direct = match(frameworkName, options.framework);
  if (direct !== undefined) return direct;
  for (const { prefix, split } of SPLIT_PREFIXES) {
    if (!frameworkName.startsWith(prefix)) continue;
    const resolved = match(frameworkName.slice(prefix.length), options.framework);
    if (resolved === undefined) return undefined;
    if (resolved.metric.attributes.includes(ATTR_GRPO_SPLIT)) {
      return { ...resolved, attributes: { ...resolved.attributes, [ATTR_GRPO_SPLIT]: split } };
    }
    return split === 'train' ? resolved : undefined;
  }
  return undefined;
}
