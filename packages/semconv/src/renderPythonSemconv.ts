import * as K from './attributeKeys.js';
import * as V from './attributeValues.js';
import * as E from './events.js';
import { FRAMEWORKS, KNOWN_NAME_MAPPINGS } from './knownNameMappings.js';
import { SPLIT_PREFIXES } from './lookupKnownName.js';
import { METRICS } from './metrics.js';

/** A Python literal for a JSON-like value (JSON strings and numbers are valid Python literals). */
function py(v: unknown): string {
  if (v === undefined || v === null) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new RangeError(`not a finite number: ${v}`);
    return JSON.stringify(v);
  }
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v))
    return v.length === 0 ? '()' : `(${v.map(py).join(', ')}${v.length === 1 ? ',' : ''})`;
  if (typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>);
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}: ${py(x)}`).join(', ')}}`;
  }
  throw new TypeError(`no Python literal for ${typeof v}`);
}

/** `rewardMean` -> `REWARD_MEAN`, `v8jsMemoryHeapUsed` -> `V8JS_MEMORY_HEAP_USED`. */
function upperSnake(camel: string): string {
  return camel.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

const HEADER = `# Generated from packages/semconv by \`pnpm semconv:python\`; do not edit by hand.
# A test (packages/semconv/test/python.test.ts) fails when this file differs from the definitions.
"""GRPO semantic conventions for the Python bridge: metric names, units, instrument kinds, attribute
keys, event names and the TRL/verl/OpenRLHF name mapping, as defined once in @grpo-otel/semconv."""

from typing import Mapping, NamedTuple, Optional, Tuple, Union


class MetricDefinition(NamedTuple):
    """One metric: what an instrument needs, as the TypeScript SDK creates it."""

    name: str
    instrument: str
    unit: str
    description: str
    value_type: str
    attributes: Tuple[str, ...]
    buckets: Optional[Tuple[float, ...]]
    category: str


class KnownNameMapping(NamedTuple):
    """A metric name known from TRL, verl or OpenRLHF; \`<func>\` in \`name\` fills the attribute values written so."""

    framework: str
    name: str
    metric: str
    attributes: Mapping[str, Union[str, int, float, bool]]
    scale: float
    cumulative: bool
`;

/**
 * The Python module `python/grpo_otel/semconv.py` of the Python bridge, generated from these definitions
 * (one source for both languages). Deterministic: the same definitions give the same text.
 */
export function renderPythonSemconv(): string {
  const out: string[] = [HEADER];

  out.push('', `# --- Attribute keys ${'-'.repeat(80)}`);
  for (const [name, value] of Object.entries(K).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    out.push(`${name} = ${py(value)}`);
  }

  out.push('', `# --- Attribute values ${'-'.repeat(78)}`);
  for (const [name, value] of Object.entries(V).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    out.push(`${name} = ${py(value)}`);
  }

  out.push('', `# --- Event names ${'-'.repeat(83)}`);
  for (const [name, value] of Object.entries(E)
    .filter(([n, v]) => n.startsWith('EVENT_') && typeof v === 'string')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    out.push(`${name} = ${py(value)}`);
  }

  out.push(
    '',
    `# --- Metrics (the TypeScript handle in UPPER_SNAKE: METRICS.rewardMean -> REWARD_MEAN) ${'-'.repeat(13)}`,
  );
  const handles: string[] = [];
  for (const [handle, m] of Object.entries(METRICS)) {
    const h = upperSnake(handle);
    handles.push(h);
    const buckets = m.advice?.explicitBucketBoundaries;
    out.push(
      `${h} = MetricDefinition(`,
      `    name=${py(m.name)},`,
      `    instrument=${py(m.instrument)},`,
      `    unit=${py(m.unit)},`,
      `    description=${py(m.description)},`,
      `    value_type=${py(m.valueType)},`,
      `    attributes=${py([...m.attributes])},`,
      `    buckets=${buckets ? py([...buckets]) : 'None'},`,
      `    category=${py(m.category)},`,
      ')',
    );
  }
  out.push('', '# Every metric definition by its OpenTelemetry name.');
  out.push('METRICS: Mapping[str, MetricDefinition] = {');
  for (const h of handles) out.push(`    ${h}.name: ${h},`);
  out.push('}');

  out.push('', `# --- Known names of TRL, verl and OpenRLHF ${'-'.repeat(58)}`);
  out.push(`FRAMEWORKS = ${py([...FRAMEWORKS])}`);
  out.push('# Logging prefixes that say which split a value belongs to.');
  out.push(`SPLIT_PREFIXES = ${py(SPLIT_PREFIXES.map((p) => [p.prefix, p.split]))}`);
  out.push('KNOWN_NAME_MAPPINGS: Tuple[KnownNameMapping, ...] = (');
  for (const m of KNOWN_NAME_MAPPINGS) {
    out.push(
      `    KnownNameMapping(${py(m.framework)}, ${py(m.name)}, ${py(m.metric)}, ${py(m.attributes)}, ${py(m.scale ?? 1)}, ${py(m.cumulative ?? false)}),`,
    );
  }
  out.push(')');
  return `${out.join('\n')}\n`;
}
