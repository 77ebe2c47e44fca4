// The committed dashboards (deploy/grafana/dashboards/*.json) are exactly what the code generates, and
// every query in them names only metrics that semconv defines.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ALL_METRICS, prometheusSeries } from '@grpo-otel/semconv';
import {
  ALERTS_SERIES,
  buildDashboards,
  DASHBOARD_TAG,
  panelQueries,
  parseLabelValues,
  renderDashboard,
  VAR,
  variableQueries,
} from '../src/index.js';
import { metricNames } from './support/metricNames.js';

const dir = fileURLToPath(new URL('../../../deploy/grafana/dashboards/', import.meta.url));
const generated = buildDashboards();

describe('committed dashboards', () => {
  test('each generated dashboard is committed unchanged (run `pnpm dashboards:generate`)', () => {
    for (const { file, dashboard } of generated) {
      let committed: string;
      try {
        committed = readFileSync(join(dir, file), 'utf8');
      } catch {
        assert.fail(`${file} is not in deploy/grafana/dashboards: run \`pnpm dashboards:generate\``);
      }
      assert.equal(
        committed,
        renderDashboard(dashboard),
        `${file} differs from what the code generates: run \`pnpm dashboards:generate\``,
      );
    }
  });

  test('no other dashboard files are there', () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    assert.deepEqual(files.sort(), generated.map((g) => g.file).sort());
  });
});

const known = new Set([...ALL_METRICS.flatMap((d) => prometheusSeries(d)), ALERTS_SERIES]);

describe('generated dashboards', () => {
  test('unique uids and titles, all tagged', () => {
    assert.equal(new Set(generated.map((g) => g.dashboard.uid)).size, generated.length);
    assert.equal(new Set(generated.map((g) => g.dashboard.title)).size, generated.length);
    for (const { dashboard } of generated) assert.ok(dashboard.tags?.includes(DASHBOARD_TAG));
  });

  for (const { file, dashboard } of generated) {
    describe(file, () => {
      const json = JSON.parse(renderDashboard(dashboard)) as unknown;

      test('queries name only semconv metrics (and ALERTS)', () => {
        const queries = [
          ...panelQueries(json).map((q) => q.expr),
          ...variableQueries(json).map((v) => parseLabelValues(v.query).selector),
        ];
        assert.ok(queries.length > 0);
        for (const expr of queries) {
          for (const name of metricNames(expr)) {
            assert.ok(known.has(name), `${name} is not a semconv metric series, in: ${expr}`);
          }
        }
      });

      test('every panel has a Prometheus query through the datasource variable, and a unique id', () => {
        const ids = new Set<number>();
        const visit = (panels: Record<string, unknown>[] | undefined) => {
          for (const p of panels ?? []) {
            assert.equal(typeof p.id, 'number', `panel ${String(p.title)} has an id`);
            assert.ok(!ids.has(p.id as number), `panel id ${String(p.id)} is unique`);
            ids.add(p.id as number);
            if (p.type === 'row') {
              visit(p.panels as Record<string, unknown>[]);
              continue;
            }
            const targets = p.targets as { datasource?: { uid?: string }; expr?: string }[] | undefined;
            assert.ok(targets && targets.length > 0, `panel ${String(p.title)} has queries`);
            for (const t of targets) {
              assert.equal(t.datasource?.uid, `\${${VAR.datasource}}`);
              assert.ok(t.expr && t.expr.length > 0);
            }
          }
        };
        visit((json as { panels?: Record<string, unknown>[] }).panels);
        assert.ok(ids.size > 0);
      });

      test('the run variables come first: datasource, service, run, rank', () => {
        const list = (json as { templating: { list: { name: string }[] } }).templating.list;
        assert.deepEqual(
          list.slice(0, 4).map((v) => v.name),
          [VAR.datasource, VAR.service, VAR.run, VAR.rank],
        );
      });

      test('every query is restricted to the selected run', () => {
        for (const q of panelQueries(json)) {
          assert.ok(q.expr.includes(`grpo_run_id=~"$${VAR.run}`), `${q.panel}: ${q.expr}`);
        }
      });
    });
  }
});
