// Writes the Prometheus files generated from rules.ts, ruleTests.ts and prometheusConfig.ts.
//
//   node --conditions=source --import tsx deploy/prometheus/src/generate.ts
//       rewrites the committed files: prometheus.yml (docker-compose), rules/*.yml (production
//       windows), tests/*.test.yml (promtool unit tests). A test fails while they differ from this output.
//   node --conditions=source --import tsx deploy/prometheus/src/generate.ts local --out DIR \
//       --collector HOST:PORT --collector-telemetry HOST:PORT --alertmanager HOST:PORT \
//       [--profile production|fast] [--interval 15s]
//       writes DIR/prometheus.yml and DIR/rules/*.yml for a Prometheus on this machine
//       (scripts/stack-up.sh; the tests call the functions directly).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { COMPOSE_PROMETHEUS, type PrometheusConfigOptions, prometheusConfig } from './prometheusConfig.js';
import { type Profile, RULE_FILES, renderRules } from './rules.js';
import { renderRuleTests } from './ruleTests.js';

/** deploy/prometheus/ */
export const PROMETHEUS_DIR: string = fileURLToPath(new URL('..', import.meta.url));

const REGENERATE = 'node --conditions=source --import tsx deploy/prometheus/src/generate.ts';

function header(source: string): string {
  return `# Generated from deploy/prometheus/src/${source} (metric names from @grpo-otel/semconv); do not edit.\n# Regenerate: ${REGENERATE}\n`;
}

export function toYaml(value: unknown, source: string): string {
  return header(source) + stringify(value, { lineWidth: 0 });
}

/** The rule files of a profile, by path relative to the Prometheus config's directory. */
export function renderRuleFiles(profile: Profile): Map<string, string> {
  const rules = renderRules(profile);
  const note = profile === 'production' ? 'rules.ts' : `rules.ts (profile ${profile})`;
  return new Map([
    [RULE_FILES.recording, toYaml(rules.recording, note)],
    [RULE_FILES.alerts, toYaml(rules.alerts, note)],
  ]);
}

export function renderPrometheusConfig(options: PrometheusConfigOptions): string {
  return toYaml(prometheusConfig(options), 'prometheusConfig.ts');
}

/** Every committed generated file, by path relative to deploy/prometheus/. */
export function renderCommittedFiles(): Map<string, string> {
  const files = new Map<string, string>();
  files.set('prometheus.yml', renderPrometheusConfig(COMPOSE_PROMETHEUS));
  for (const [path, text] of renderRuleFiles('production')) files.set(path, text);
  for (const [name, doc] of renderRuleTests()) files.set(`tests/${name}`, toYaml(doc, 'ruleTests.ts'));
  return files;
}

/** Writes a Prometheus config and its rule files into `dir`; returns the config's path. */
export function writeLocalPrometheus(
  dir: string,
  options: PrometheusConfigOptions,
  profile: Profile = 'production',
): string {
  for (const [path, text] of renderRuleFiles(profile)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const config = join(dir, 'prometheus.yml');
  writeFileSync(config, renderPrometheusConfig(options));
  return config;
}

function main(argv: string[]): void {
  const [command, ...rest] = argv;
  if (command === undefined) {
    for (const [path, text] of renderCommittedFiles()) {
      const target = join(PROMETHEUS_DIR, path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, text);
      process.stdout.write(`wrote deploy/prometheus/${path}\n`);
    }
    return;
  }
  if (command !== 'local') throw new Error(`unknown command ${command} (expected none or 'local')`);
  const { values } = parseArgs({
    args: rest,
    options: {
      out: { type: 'string' },
      collector: { type: 'string' },
      'collector-telemetry': { type: 'string' },
      alertmanager: { type: 'string' },
      profile: { type: 'string', default: 'production' },
      interval: { type: 'string', default: '15s' },
    },
  });
  const { out, collector, alertmanager } = values;
  const telemetry = values['collector-telemetry'];
  if (!out || !collector || !telemetry || !alertmanager) {
    throw new Error('local needs --out, --collector, --collector-telemetry and --alertmanager');
  }
  const profile = values.profile;
  if (profile !== 'production' && profile !== 'fast') throw new Error(`unknown profile ${profile}`);
  const config = writeLocalPrometheus(
    resolve(out),
    {
      scrapeInterval: values.interval,
      evaluationInterval: values.interval,
      collector,
      collectorTelemetry: telemetry,
      alertmanager,
    },
    profile,
  );
  process.stdout.write(`${config}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`generate: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}
