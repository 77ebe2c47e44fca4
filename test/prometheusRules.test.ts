// The Prometheus config and GRPO rules under deploy/prometheus/: the committed files are what the
// generator makes, the real promtool accepts the config and rules and passes every unit test, every alert
// has cases where it fires and where it must not, and every series the rules read is a semconv series.
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  ALL_ATTRIBUTES,
  ALL_METRICS,
  prometheusLabelName,
  prometheusSeries,
  RESOURCE_ATTRIBUTES,
} from '@grpo-otel/semconv';
import { PROMTOOL_BIN, runTool } from '@grpo-otel/testkit/prometheus';
import { tempDirUntilExit } from '@grpo-otel/testkit/tempDir';
import { parse } from 'yaml';
import { PROMETHEUS_DIR, renderCommittedFiles, renderRuleFiles } from '../deploy/prometheus/src/generate.js';
import { type AlertRule, type RecordingRule, renderRules, WINDOWS } from '../deploy/prometheus/src/rules.js';
import { ALERT_CASES } from '../deploy/prometheus/src/ruleTests.js';

const promDir = PROMETHEUS_DIR;

describe('deploy/prometheus', { timeout: 120_000 }, () => {
  test('committed files are exactly what deploy/prometheus/src/generate.ts makes', async () => {
    const expected = renderCommittedFiles();
    for (const [path, text] of expected) {
      const actual = await readFile(join(promDir, path), 'utf8').catch(() => undefined);
      assert.ok(actual !== undefined, `deploy/prometheus/${path} is missing: run the generator`);
      assert.equal(
        actual,
        text,
        `deploy/prometheus/${path} differs from the generator's output: regenerate it`,
      );
    }
    // No stale generated files left behind (e.g. the test file of a removed alert).
    for (const sub of ['rules', 'tests']) {
      for (const name of await readdir(join(promDir, sub))) {
        assert.ok(expected.has(`${sub}/${name}`), `deploy/prometheus/${sub}/${name} is not generated`);
      }
    }
  });

  test('promtool check config accepts prometheus.yml (and finds the rule files)', async () => {
    const r = await runTool(PROMTOOL_BIN, ['check', 'config', 'prometheus.yml'], promDir);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /2 rule files found/);
  });

  test('promtool check rules accepts the production and the fast rules', async () => {
    const prod = await runTool(
      PROMTOOL_BIN,
      ['check', 'rules', ...renderRuleFiles('production').keys()],
      promDir,
    );
    assert.equal(prod.code, 0, prod.stdout + prod.stderr);
    const dir = await tempDirUntilExit('grpo-rules-fast-');
    const { writeFile, mkdir } = await import('node:fs/promises');
    const fast = renderRuleFiles('fast');
    for (const [path, text] of fast) {
      await mkdir(join(dir, 'rules'), { recursive: true });
      await writeFile(join(dir, path), text);
    }
    const r = await runTool(PROMTOOL_BIN, ['check', 'rules', ...fast.keys()], dir);
    assert.equal(r.code, 0, r.stdout + r.stderr);
  });

  test('promtool test rules passes every unit test file', async () => {
    const files = (await readdir(join(promDir, 'tests'))).filter((f) => f.endsWith('.test.yml')).sort();
    const r = await runTool(PROMTOOL_BIN, ['test', 'rules', ...files.map((f) => `tests/${f}`)], promDir);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal((r.stdout.match(/SUCCESS/g) ?? []).length, files.length, r.stdout);
  });

  test('every alert has a test file with a case where it fires and one where nothing fires', async () => {
    const alerts = renderRules('production').alerts.groups.flatMap((g) => g.rules);
    assert.ok(alerts.length >= 9);
    for (const rule of alerts) {
      const doc = parse(await readFile(join(promDir, 'tests', `${rule.alert}.test.yml`), 'utf8')) as {
        tests: Array<{ alert_rule_test: Array<{ alertname: string; exp_alerts: unknown[] }> }>;
      };
      const checks = doc.tests.flatMap((t) => t.alert_rule_test).filter((c) => c.alertname === rule.alert);
      assert.ok(
        checks.some((c) => c.exp_alerts.length > 0),
        `${rule.alert}: no case where it fires`,
      );
      assert.ok(
        checks.some((c) => c.exp_alerts.length === 0),
        `${rule.alert}: no case where it must not fire`,
      );
      assert.ok(ALERT_CASES[rule.alert], rule.alert);
      assert.match(rule.labels.severity, /^(critical|warning)$/);
      assert.ok(rule.annotations.summary && rule.annotations.description, `${rule.alert}: annotations`);
    }
    const required = [
      'GRPORewardPlateau',
      'GRPORewardPlateauSignal',
      'GRPOEntropyCollapse',
      'GRPODiversityCollapse',
      'GRPOKLBlowUp',
      'GRPOFormatAdherenceDropping',
      'GRPOTrainingStalled',
      'GRPORewardHacking',
      'GRPOTelemetryDropping',
    ];
    for (const name of required)
      assert.ok(
        alerts.some((a) => a.alert === name),
        `missing alert ${name}`,
      );
  });

  test('every identifier the rules use is a semconv series, a semconv label or a recorded series', () => {
    const series = new Set(ALL_METRICS.flatMap((m) => prometheusSeries(m)));
    const labels = new Set(
      [...ALL_ATTRIBUTES, ...RESOURCE_ATTRIBUTES].map((a) => prometheusLabelName(a.key)),
    );
    for (const profile of ['production', 'fast'] as const) {
      const { recording, alerts } = renderRules(profile);
      const records = recording.groups.flatMap((g) => g.rules as RecordingRule[]);
      const recorded = new Set(records.map((r) => r.record));
      const exprs = [
        ...records.map((r) => r.expr),
        ...alerts.groups.flatMap((g) => g.rules.map((r) => r.expr)),
      ];
      for (const expr of exprs) {
        for (const id of expr.match(/\b[a-z_][a-z0-9_:]*\b/g) ?? []) {
          if (id.includes(':')) {
            assert.ok(recorded.has(id), `${id} in '${expr}' is not a recording rule`);
          } else if (id.startsWith('grpo_') || id.startsWith('gen_ai_')) {
            assert.ok(
              series.has(id) || labels.has(id),
              `${id} in '${expr}' is not a semconv series or label`,
            );
          }
        }
      }
    }
  });

  test('the fast profile differs from production only in its durations', () => {
    const norm = (s: string) => s.replace(/\b\d+(ms|s|m|h|d)\b/g, 'D');
    const strip = (files: ReturnType<typeof renderRules>) =>
      JSON.stringify(
        {
          recording: files.recording.groups.map((g) => g.rules),
          alerts: files.alerts.groups.map((g) => g.rules.map((r: AlertRule) => ({ ...r }))),
        },
        (_, v) => (typeof v === 'string' ? norm(v) : v),
      );
    assert.equal(strip(renderRules('fast')), strip(renderRules('production')));
    assert.notDeepEqual(WINDOWS.fast, WINDOWS.production);
  });

  test('prometheus.yml scrapes the collector with honor_labels and sends to Alertmanager', async () => {
    const doc = parse(await readFile(join(promDir, 'prometheus.yml'), 'utf8')) as {
      scrape_configs: Array<{
        job_name: string;
        honor_labels?: boolean;
        static_configs: Array<{ targets: string[] }>;
      }>;
      alerting: { alertmanagers: Array<{ static_configs: Array<{ targets: string[] }> }> };
    };
    const grpo = doc.scrape_configs.find((s) => s.job_name === 'grpo');
    assert.ok(grpo);
    assert.equal(grpo.honor_labels, true);
    assert.deepEqual(grpo.static_configs[0]?.targets, ['collector:8889']);
    assert.deepEqual(doc.alerting.alertmanagers[0]?.static_configs[0]?.targets, ['alertmanager:9093']);
  });
});
