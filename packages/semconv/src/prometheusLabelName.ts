// OTLP attribute key -> Prometheus label name, as the collector's `prometheus` exporter does by default
// (otlptranslator LabelNamer with UTF-8 disallowed; collector-contrib pkg/translator/prometheus
// normalize_label.go before it): every character outside [a-zA-Z0-9_] becomes '_'; a name starting
// with a digit gets the prefix `key_`; one starting with a single '_' gets the prefix `key`.

/** The Prometheus label an attribute becomes: `grpo.reward.function` -> `grpo_reward_function`. */
export function prometheusLabelName(key: string): string {
  if (key === '') return key;
  const label = key.replace(/[^a-zA-Z0-9_]/g, '_');
  if (/^[0-9]/.test(label)) return `key_${label}`;
  if (label.startsWith('_') && !label.startsWith('__')) return `key${label}`;
  return label;
}
