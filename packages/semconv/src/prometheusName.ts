import type { InstrumentKind, MetricDefinition } from './MetricDefinition.js';

// OTLP -> Prometheus metric name translation, as done by the OpenTelemetry Collector's `prometheus`
// exporter with its default settings (`add_metric_suffixes: true`; translation strategy
// UnderscoreEscapingWithSuffixes). The exporter (collector-contrib exporter/prometheusexporter/collector.go)
// builds names with github.com/prometheus/otlptranslator `MetricNamer{WithMetricSuffixes: true}`, whose
// `normalizeName`, `buildUnitSuffixes`, `addUnitTokens` (metric_namer.go, unit_namer.go) continue
// collector-contrib pkg/translator/prometheus/normalize_name.go. Rules followed here:
//  1. Split the name into tokens on every character outside [a-zA-Z0-9:] (dots and underscores alike).
//  2. Split the unit at the first '/': main unit and "per" unit. A part containing '{' or '}' (an
//     annotation such as `{token}`) is dropped. The main unit maps through `unitMap`
//     (s -> seconds, By -> bytes, 1 -> "", % -> percent, ...), unknown units are kept as written; it is
//     appended unless already one of the name's tokens. The per unit maps through `perUnitMap`
//     (s -> second, m -> minute, h -> hour, ...) and is appended as `per_<unit>`.
//  3. Monotonic sums (counters) get `total`: every `total` token is removed, then one is appended.
//  4. Gauges whose unit is exactly `1` get `ratio` the same way (not counters, up-down counters or
//     histograms: the translator only trusts unit `1` to mean a ratio on gauges).
//  5. Join with '_'; prefix '_' if the result starts with a digit.
// Histograms are exposed as `<name>_bucket` (with `le`), `<name>_sum` and `<name>_count`.

/** OTLP units the translator converts to Prometheus unit words (otlptranslator `unitMap`). */
const UNIT_MAP: Readonly<Record<string, string>> = {
  d: 'days',
  h: 'hours',
  min: 'minutes',
  s: 'seconds',
  ms: 'milliseconds',
  us: 'microseconds',
  ns: 'nanoseconds',
  By: 'bytes',
  KiBy: 'kibibytes',
  MiBy: 'mebibytes',
  GiBy: 'gibibytes',
  TiBy: 'tibibytes',
  KBy: 'kilobytes',
  MBy: 'megabytes',
  GBy: 'gigabytes',
  TBy: 'terabytes',
  m: 'meters',
  V: 'volts',
  A: 'amperes',
  J: 'joules',
  W: 'watts',
  g: 'grams',
  Cel: 'celsius',
  Hz: 'hertz',
  '1': '',
  '%': 'percent',
};

/** "Per" units (otlptranslator `perUnitMap`), singular. */
const PER_UNIT_MAP: Readonly<Record<string, string>> = {
  s: 'second',
  m: 'minute',
  h: 'hour',
  d: 'day',
  w: 'week',
  mo: 'month',
  y: 'year',
};

/** The Prometheus metric type an OpenTelemetry instrument is exposed as. */
export type PrometheusMetricType = 'counter' | 'gauge' | 'histogram';

/** Counter -> counter; gauges and up-down counters (non-monotonic sums) -> gauge; histogram -> histogram. */
export function prometheusMetricType(instrument: InstrumentKind): PrometheusMetricType {
  switch (instrument) {
    case 'counter':
    case 'observable_counter':
      return 'counter';
    case 'histogram':
      return 'histogram';
    case 'gauge':
    case 'observable_gauge':
    case 'updowncounter':
    case 'observable_updowncounter':
      return 'gauge';
  }
}

const isOtlpGauge = (i: InstrumentKind): boolean => i === 'gauge' || i === 'observable_gauge';

function hasOwn(map: Readonly<Record<string, string>>, key: string): boolean {
  return Object.hasOwn(map, key);
}

/** Replaces characters outside [a-zA-Z0-9:] with '_', collapses runs of '_', drops a leading '_'. */
function cleanUpUnit(unit: string): string {
  return unit
    .replace(/[^a-zA-Z0-9:]/g, '_')
    .replace(/_{2,}/g, '_')
    .replace(/^_/, '');
}

function unitSuffixes(unit: string): { main: string; per: string } {
  const slash = unit.indexOf('/');
  const mainOtel = (slash < 0 ? unit : unit.slice(0, slash)).trim();
  const perRaw = slash < 0 ? '' : unit.slice(slash + 1);
  let main = '';
  if (mainOtel !== '' && !/[{}]/.test(mainOtel)) {
    main = hasOwn(UNIT_MAP, mainOtel) ? (UNIT_MAP[mainOtel] as string) : mainOtel;
  }
  let per = '';
  if (perRaw !== '') {
    const perOtel = perRaw.trim();
    if (perOtel !== '' && !/[{}]/.test(perOtel)) {
      per = hasOwn(PER_UNIT_MAP, perOtel) ? (PER_UNIT_MAP[perOtel] as string) : perOtel;
    }
    if (per !== '') per = `per_${per}`;
  }
  return { main: cleanUpUnit(main), per: cleanUpUnit(per) };
}

/**
 * The Prometheus metric name the collector's `prometheus` exporter (default settings) gives an
 * OpenTelemetry metric: `grpo.reward.mean` -> `grpo_reward_mean`, counter `grpo.training.steps` ->
 * `grpo_training_steps_total`, `grpo.step.duration` in `s` -> `grpo_step_duration_seconds`,
 * gauge `grpo.validation.accuracy` in `1` -> `grpo_validation_accuracy_ratio`.
 */
export function prometheusName(def: Pick<MetricDefinition, 'name' | 'unit' | 'instrument'>): string {
  let tokens = def.name.split(/[^a-zA-Z0-9:]+/).filter((t) => t !== '');

  const { main, per: perRaw } = unitSuffixes(def.unit);
  let mainSuffix = tokens.includes(main) ? '' : main;
  let perSuffix = perRaw;
  if (perSuffix === 'per_') {
    perSuffix = '';
  } else {
    perSuffix = perSuffix.replace(/_$/, '');
    if (tokens.includes(perSuffix)) perSuffix = '';
  }
  if (perSuffix !== '') mainSuffix = mainSuffix.replace(/_$/, '');
  if (mainSuffix !== '') tokens.push(mainSuffix);
  if (perSuffix !== '') tokens.push(perSuffix);

  if (prometheusMetricType(def.instrument) === 'counter') {
    tokens = [...tokens.filter((t) => t !== 'total'), 'total'];
  }
  if (def.unit === '1' && isOtlpGauge(def.instrument)) {
    tokens = [...tokens.filter((t) => t !== 'ratio'), 'ratio'];
  }

  const name = tokens.join('_');
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

/**
 * Every series name Prometheus stores for the metric: the name itself for counters and gauges;
 * `_bucket`, `_sum` and `_count` for histograms.
 */
export function prometheusSeries(
  def: Pick<MetricDefinition, 'name' | 'unit' | 'instrument'>,
): readonly string[] {
  const name = prometheusName(def);
  if (prometheusMetricType(def.instrument) === 'histogram') {
    return [`${name}_bucket`, `${name}_sum`, `${name}_count`];
  }
  return [name];
}
