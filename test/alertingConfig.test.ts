// deploy/alertmanager/alertmanager.yml with the real amtool: the config is valid (as committed and as
// the end-to-end test rewrites it), every severity the GRPO rules use is routed to its own receiver,
// alerts are grouped per run, and a run's critical alert inhibits its warnings.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';
import {
  AMTOOL_BIN,
  alertmanagerConfigPath,
  runTool,
  writeTestAlertmanagerConfig,
} from '@grpo-otel/testkit/prometheus';
import { tempDirUntilExit } from '@grpo-otel/testkit/tempDir';
import { parse } from 'yaml';
import { RUN_LABELS, renderRules } from '../deploy/prometheus/src/rules.js';

async function route(config: string, labels: Record<string, string>): Promise<string> {
  const r = await runTool(AMTOOL_BIN, [
    'config',
    'routes',
    'test',
    `--config.file=${config}`,
    ...Object.entries(labels).map(([k, v]) => `${k}=${v}`),
  ]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  return r.stdout.trim();
}

describe('deploy/alertmanager/alertmanager.yml', () => {
  test('amtool check-config accepts it', async () => {
    const r = await runTool(AMTOOL_BIN, ['check-config', alertmanagerConfigPath]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /SUCCESS/);
  });

  test('amtool check-config accepts the end-to-end test variant too', async () => {
    const dir = await tempDirUntilExit('grpo-am-config-');
    const path = await writeTestAlertmanagerConfig(dir, 'http://127.0.0.1:9/hooks');
    const r = await runTool(AMTOOL_BIN, ['check-config', path]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const doc = parse(await readFile(path, 'utf8')) as {
      receivers: Array<{ webhook_configs: Array<{ url: string }> }>;
    };
    for (const hook of doc.receivers.flatMap((x) => x.webhook_configs))
      assert.match(hook.url, /^http:\/\/127\.0\.0\.1:9\//);
  });

  test('every severity the rules use goes to its own receiver; anything else to the default', async () => {
    const severities = new Set(
      renderRules('production').alerts.groups.flatMap((g) => g.rules.map((r) => r.labels.severity)),
    );
    assert.deepEqual([...severities].sort(), ['critical', 'warning']);
    for (const severity of severities) {
      const receiver = await route(alertmanagerConfigPath, {
        alertname: 'GRPOTest',
        severity,
        grpo_run_id: 'r1',
      });
      assert.equal(receiver, `grpo-${severity}`);
    }
    assert.equal(
      await route(alertmanagerConfigPath, { alertname: 'Other', severity: 'info' }),
      'grpo-default',
    );
  });

  test('alerts are grouped per run, and a critical alert of a run inhibits its warnings', async () => {
    const doc = parse(await readFile(alertmanagerConfigPath, 'utf8')) as {
      route: { group_by: string[] };
      inhibit_rules: Array<{ source_matchers: string[]; target_matchers: string[]; equal: string[] }>;
    };
    for (const label of RUN_LABELS) assert.ok(doc.route.group_by.includes(label), label);
    const inhibit = doc.inhibit_rules.find((r) => r.source_matchers.includes('severity="critical"'));
    assert.ok(inhibit);
    assert.deepEqual(inhibit.target_matchers, ['severity="warning"']);
    assert.deepEqual([...inhibit.equal].sort(), [...RUN_LABELS].sort());
  });
});
