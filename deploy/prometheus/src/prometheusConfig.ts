// prometheus.yml for the GRPO stack: scrapes the collector's `prometheus` exporter (and the collector's
// own metrics), evaluates the GRPO rules, sends alerts to Alertmanager. The committed
// deploy/prometheus/prometheus.yml is the docker-compose variant; tests and scripts/stack-up.sh render
// loopback variants with their ports from the same function.
import { RULE_FILES } from './rules.js';

export interface PrometheusConfigOptions {
  scrapeInterval: string;
  evaluationInterval: string;
  /** host:port of the collector's `prometheus` exporter. */
  collector: string;
  /** host:port of the collector's own metrics (its service::telemetry reader). */
  collectorTelemetry: string;
  /** host:port of Alertmanager. */
  alertmanager: string;
  /** Rule files, relative to the config file (default: the GRPO rule files under rules/). */
  ruleFiles?: readonly string[];
}

export const COMPOSE_PROMETHEUS: PrometheusConfigOptions = {
  scrapeInterval: '15s',
  evaluationInterval: '15s',
  collector: 'collector:8889',
  collectorTelemetry: 'collector:8888',
  alertmanager: 'alertmanager:9093',
};

export function prometheusConfig(o: PrometheusConfigOptions): unknown {
  return {
    global: {
      scrape_interval: o.scrapeInterval,
      evaluation_interval: o.evaluationInterval,
    },
    rule_files: [...(o.ruleFiles ?? [RULE_FILES.recording, RULE_FILES.alerts])],
    alerting: {
      alertmanagers: [{ static_configs: [{ targets: [o.alertmanager] }] }],
    },
    scrape_configs: [
      {
        // The exporter sets `job` (service.name) and `instance` (service.instance.id) of each trainer
        // process; honor_labels keeps them instead of this scrape's own job and instance.
        job_name: 'grpo',
        honor_labels: true,
        static_configs: [{ targets: [o.collector] }],
      },
      {
        job_name: 'otelcol',
        static_configs: [{ targets: [o.collectorTelemetry] }],
      },
    ],
  };
}
