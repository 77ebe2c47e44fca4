// The dashboard provisioning file is valid for Grafana's file provider (checked statically: Grafana is
// not installable here).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const path = fileURLToPath(
  new URL('../../../deploy/grafana/provisioning/dashboards/dashboards.yaml', import.meta.url),
);

test('one file provider for the generated dashboards', () => {
  const doc = parse(readFileSync(path, 'utf8')) as {
    apiVersion: number;
    providers: { name: string; type: string; options: { path: string }; allowUiUpdates: boolean }[];
  };
  assert.equal(doc.apiVersion, 1);
  assert.equal(doc.providers.length, 1);
  const [p] = doc.providers;
  assert.equal(p!.type, 'file');
  assert.equal(p!.allowUiUpdates, false);
  assert.match(p!.options.path, /^\/.+/);
});
