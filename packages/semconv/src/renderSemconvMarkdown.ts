import type { AttributeDefinition, AttributeExample } from './AttributeDefinition.js';
import { ALL_ATTRIBUTES, RESOURCE_ATTRIBUTES } from './attributes.js';
import { REWARD_FUNCTION_TOTAL } from './attributeValues.js';
import { ALL_EVENTS } from './events.js';
import { code, table } from './internal/markdown.js';
import { FRAMEWORKS, KNOWN_NAME_MAPPINGS, type KnownNameMapping } from './knownNameMappings.js';
import { METRIC_CATEGORIES, type MetricDefinition } from './MetricDefinition.js';
import { ALL_METRICS, metricDefinition } from './metrics.js';
import { prometheusLabelName } from './prometheusLabelName.js';
import { prometheusSeries } from './prometheusName.js';
import type { AttributeRef } from './SpanDefinition.js';
import { ALL_SPANS } from './spans.js';

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function example(e: AttributeExample): string {
  if (typeof e === 'string') return code(JSON.stringify(e));
  if (Array.isArray(e)) return code(JSON.stringify(e));
  return code(String(e));
}

function requirement(level: string, condition?: string): string {
  const text = level.replace('_', ' ');
  return condition === undefined ? text : `${text}: ${condition}`;
}

function attributeText(def: AttributeDefinition): string {
  const parts = [def.description];
  if (def.note !== undefined) parts.push(def.note);
  if (def.reused) parts.push('*Reused from OpenTelemetry semantic conventions.*');
  if (def.stability === 'stable') parts.push('*Stable.*');
  return parts.join(' ');
}

function renderAttributes(): string {
  const out: string[] = [];
  out.push('## Resource attributes', '');
  out.push(
    'Set once per process on the OpenTelemetry Resource, so every log record, metric point and span of ' +
      'the run carries them. In Prometheus they are labels of `target_info` (join on `job`/`instance`), ' +
      'or labels of every series when the exporter sets `resource_to_telemetry_conversion: {enabled: true}`.',
    '',
  );
  out.push(
    table(
      ['Key', 'Type', 'Requirement', 'Description', 'Examples'],
      RESOURCE_ATTRIBUTES.map((a) => [
        code(a.key),
        a.type,
        requirement(a.requirementLevel),
        attributeText(a),
        a.examples.map(example).join(', '),
      ]),
    ),
    '',
  );

  const signal = ALL_ATTRIBUTES.filter((a) => !a.resource);
  out.push('## Attributes', '');
  out.push(
    'Attributes of metric points, spans, events and logs. Only attributes with a Prometheus label may ' +
      'appear on metrics; the others are unbounded (steps, ids, text) and stay on spans, events and logs. ' +
      'The requirement level is the default; spans and events state their own below.',
    '',
  );
  out.push(
    table(
      ['Key', 'Type', 'Requirement', 'Prometheus label', 'Description', 'Examples'],
      signal.map((a) => [
        code(a.key),
        a.type,
        requirement(a.requirementLevel),
        a.metricSafe ? code(prometheusLabelName(a.key)) : 'not on metrics',
        attributeText(a),
        a.examples.map(example).join(', '),
      ]),
    ),
    '',
  );

  const enumerated = ALL_ATTRIBUTES.filter((a) => a.values !== undefined);
  out.push('### Attribute values', '');
  for (const a of enumerated) {
    out.push(`#### ${code(a.key)}`, '');
    out.push(
      table(
        ['Value', 'Meaning'],
        Object.entries(a.values ?? {}).map(([value, meaning]) => [code(value), meaning]),
      ),
      '',
    );
  }
  return out.join('\n');
}

function metricRow(m: MetricDefinition): string[] {
  const parts = [m.description];
  if (m.note !== undefined) parts.push(m.note);
  if (m.reused) parts.push('*Reused from OpenTelemetry semantic conventions.*');
  if (m.stability === 'stable') parts.push('*Stable.*');
  const buckets = m.advice?.explicitBucketBoundaries;
  if (buckets !== undefined) parts.push(`Buckets: ${code(buckets.join(', '))}.`);
  return [
    code(m.name),
    m.instrument,
    code(m.unit),
    m.valueType,
    prometheusSeries(m).map(code).join('<br>'),
    m.attributes.length === 0 ? '-' : m.attributes.map(code).join('<br>'),
    parts.join(' '),
  ];
}

function renderMetrics(): string {
  const out: string[] = [];
  out.push('## Metrics', '');
  out.push(
    `${ALL_METRICS.length} metrics. The Prometheus column is what the collector's \`prometheus\` exporter ` +
      '(default settings) exposes: dots become underscores, units become suffixes (`s` -> `_seconds`, ' +
      '`By` -> `_bytes`, `{...}/s` -> `_per_second`, annotations are dropped), gauges in `1` get `_ratio`, ' +
      'counters get `_total`, histograms expose `_bucket`, `_sum` and `_count`.',
    '',
  );
  for (const { category, title } of METRIC_CATEGORIES) {
    const metrics = ALL_METRICS.filter((m) => m.category === category);
    if (metrics.length === 0) continue;
    out.push(`### ${title}`, '');
    out.push(
      table(
        ['Metric', 'Instrument', 'Unit', 'Value', 'Prometheus', 'Attributes', 'Description'],
        metrics.map(metricRow),
      ),
      '',
    );
  }
  return out.join('\n');
}

function refs(list: readonly AttributeRef[]): string {
  return list.map((r) => `${code(r.key)} (${requirement(r.requirementLevel, r.condition)})`).join('<br>');
}

function renderSpansAndEvents(): string {
  const out: string[] = [];
  out.push('## Spans', '');
  out.push(
    'All spans are of kind `internal`. A step trace is a `grpo.step` root with `grpo.generate`, ' +
      '`grpo.reward` and `grpo.update` children; validation runs are their own traces.',
    '',
  );
  out.push(
    table(
      ['Span', 'Parent', 'Description', 'Attributes', 'Events'],
      ALL_SPANS.map((s) => [
        code(s.name),
        s.parent === undefined ? '-' : code(s.parent),
        s.description,
        refs(s.attributes),
        s.events.length === 0 ? '-' : s.events.map(code).join('<br>'),
      ]),
    ),
    '',
  );
  out.push('## Events', '');
  out.push(
    'Events are log records with an event name, written to the channel shown (and routed like any record ' +
      'of that channel); the SDK may also attach them to the active span.',
    '',
  );
  out.push(
    table(
      ['Event', 'Channel', 'Description', 'Body', 'Attributes'],
      ALL_EVENTS.map((e) => [
        code(e.name),
        code(e.channel),
        e.description,
        e.body ?? '-',
        refs(e.attributes),
      ]),
    ),
    '',
  );
  return out.join('\n');
}

function mappingAttributes(m: KnownNameMapping): string {
  const entries = Object.entries(m.attributes).sort(([a], [b]) => byString(a, b));
  if (entries.length === 0) return '-';
  return entries
    .map(([k, v]) => code(`${k}=${typeof v === 'string' ? JSON.stringify(v) : String(v)}`))
    .join('<br>');
}

function renderMappings(): string {
  const out: string[] = [];
  out.push('## Names from TRL, verl and OpenRLHF', '');
  out.push(
    'The names users know from TRL (`GRPOTrainer`), verl and OpenRLHF, and where each lands here. ' +
      '`lookupKnownName(name)` resolves them (placeholders such as `<func>` match one path segment; a ' +
      '`train/`, `eval/` or `eval_` prefix sets `grpo.split`), so a trainer can keep logging them.',
    '',
  );
  const sorted = [...KNOWN_NAME_MAPPINGS].sort(
    (a, b) => FRAMEWORKS.indexOf(a.framework) - FRAMEWORKS.indexOf(b.framework) || byString(a.name, b.name),
  );
  out.push(
    table(
      ['Framework', 'Their name', 'Our metric', 'Attributes', 'Prometheus', 'Notes'],
      sorted.map((m) => {
        const def = metricDefinition(m.metric);
        const notes = [m.notes];
        if (m.scale !== undefined) notes.push(`Value x ${m.scale}.`);
        if (m.cumulative === true) notes.push('Running total: recorded as counter increases.');
        return [
          m.framework,
          code(m.name),
          code(m.metric),
          mappingAttributes(m),
          prometheusSeries(def).map(code).join('<br>'),
          notes.join(' '),
        ];
      }),
    ),
    '',
  );
  return out.join('\n');
}

function renderIntro(): string {
  return [
    '<!-- Generated from packages/semconv/src by `pnpm semconv:docs`; do not edit by hand. -->',
    '',
    '# GRPO semantic conventions',
    '',
    'Every attribute key, metric name, unit, instrument, description and histogram bucket of grpo-otel is ' +
      'defined once, in `@grpo-otel/semconv`; the SDK, dashboards, alert rules, these docs and the tests ' +
      'derive from it.',
    '',
    '## Conventions',
    '',
    '- Names follow OpenTelemetry naming: lowercase, dot-separated namespaces (all ours under `grpo.`), ' +
      'snake_case inside a segment, no units in names, and no name is also a namespace of another. Counters ' +
      'are named by what they count (`grpo.training.steps`, `grpo.validation.errors`), never with `total`: ' +
      'the Prometheus exporter adds `_total`.',
    '- Where OpenTelemetry already defines a name (`process.memory.usage`, `v8js.*`, `gen_ai.*`, ' +
      '`service.*`, `error.type`) it is reused with its unit and meaning, and marked as reused.',
    '- Units are UCUM: `s`, `By`, rates such as `{token}/s`. `1` is used only for fractions reported as ' +
      'gauges, which Prometheus suffixes with `_ratio`. Other dimensionless values use annotations ' +
      '(`{reward}`, `{nat}`, `{coefficient}`), which Prometheus drops.',
    `- Total reward: reward metrics carry \`grpo.reward.function\`; the weighted total the advantages are ` +
      `computed from (TRL's \`reward\`) is the reserved value \`${REWARD_FUNCTION_TOTAL}\` on the same metrics, so ` +
      'one query shows every function and the total. Exclude it when aggregating over functions ' +
      `(\`{grpo_reward_function!="${REWARD_FUNCTION_TOTAL}"}\`); no reward function may be named \`${REWARD_FUNCTION_TOTAL}\`.`,
    '- Per-step statistics (mean, std, min, max, ratios) are gauges, so TensorBoard gets one scalar per step ' +
      'and Prometheus the latest value; per-completion and per-group distributions are histograms with ' +
      "bucket advice. The step is never a metric attribute (unbounded cardinality): the SDK's step sink " +
      'keys TensorBoard by step, and `grpo.training.current_step` relates time to steps in Prometheus.',
    '- All conventions are at stability `development` unless marked stable.',
    '',
  ].join('\n');
}

/**
 * The reference documentation of these conventions (docs/semconv.md), rendered from the definitions.
 * Deterministic: sorted, no timestamps.
 */
export function renderSemconvMarkdown(): string {
  return `${[renderIntro(), renderAttributes(), renderMetrics(), renderSpansAndEvents(), renderMappings()]
    .join('\n')
    .trimEnd()}\n`;
}
