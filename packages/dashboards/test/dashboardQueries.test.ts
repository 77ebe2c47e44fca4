import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { panelQueries, parseLabelValues, substituteVariables, variableQueries } from '../src/index.js';

const dashboard = {
  uid: 'd',
  annotations: {
    list: [
      { name: 'builtin', datasource: { type: 'grafana' }, builtIn: 1 },
      { name: 'marks', datasource: { type: 'prometheus' }, target: { expr: 'z == 1' }, expr: 'z == 1' },
    ],
  },
  templating: {
    list: [
      { type: 'datasource', name: 'datasource', query: 'prometheus' },
      { type: 'query', name: 'run', query: 'label_values({a!=""}, grpo_run_id)' },
    ],
  },
  panels: [
    { type: 'row', title: 'top', panels: [] },
    {
      type: 'timeseries',
      title: 'p1',
      datasource: { type: 'prometheus' },
      targets: [{ refId: 'A', expr: 'up{x="$run"}', range: true, instant: false }],
    },
    {
      type: 'table',
      title: 'p2',
      targets: [
        { refId: 'A', expr: 'up', format: 'table', instant: true, datasource: { type: 'prometheus' } },
        { refId: 'B', expr: '{} |= "x"', datasource: { type: 'loki' } },
      ],
    },
    {
      type: 'row',
      title: 'repeated',
      repeat: 'fn',
      panels: [],
    },
    { type: 'stat', title: 'p3', datasource: { type: 'prometheus' }, targets: [{ refId: 'A', expr: 'x' }] },
    {
      type: 'row',
      title: 'collapsed',
      collapsed: true,
      panels: [
        {
          type: 'stat',
          title: 'p4',
          datasource: { type: 'prometheus' },
          targets: [{ refId: 'A', expr: 'y' }],
        },
      ],
    },
  ],
};

describe('panelQueries', () => {
  test('every Prometheus target and annotation, with repeats inherited from the row above', () => {
    assert.deepEqual(panelQueries(dashboard), [
      {
        dashboard: 'd',
        panel: 'p1',
        refId: 'A',
        expr: 'up{x="$run"}',
        format: 'time_series',
        instant: false,
      },
      { dashboard: 'd', panel: 'p2', refId: 'A', expr: 'up', format: 'table', instant: true },
      {
        dashboard: 'd',
        panel: 'p3',
        refId: 'A',
        expr: 'x',
        format: 'time_series',
        instant: false,
        repeat: 'fn',
      },
      { dashboard: 'd', panel: 'p4', refId: 'A', expr: 'y', format: 'time_series', instant: false },
      {
        dashboard: 'd',
        panel: 'annotation: marks',
        refId: 'Anno',
        expr: 'z == 1',
        format: 'time_series',
        instant: false,
      },
    ]);
  });

  test('an annotation whose legacy and current queries differ is an error', () => {
    const bad = {
      annotations: {
        list: [{ name: 'a', datasource: { type: 'prometheus' }, target: { expr: 'x' }, expr: 'y' }],
      },
    };
    assert.throws(() => panelQueries(bad), /two different queries/);
  });
});

describe('variables', () => {
  test('query variables and their label_values parts', () => {
    const [v] = variableQueries(dashboard);
    assert.deepEqual(v, { dashboard: 'd', name: 'run', query: 'label_values({a!=""}, grpo_run_id)' });
    assert.deepEqual(parseLabelValues(v!.query), { selector: '{a!=""}', label: 'grpo_run_id' });
    assert.throws(() => parseLabelValues('query_result(up)'), /not a label_values/);
  });

  test('substitution of every variable syntax; unknown names are an error', () => {
    assert.equal(
      substituteVariables('a{r=~"$run", s="${svc}", t="${svc:regex}"}[$__rate_interval] [[run]]', {
        run: 'r1',
        svc: 's.1',
        __rate_interval: '4s',
      }),
      'a{r=~"r1", s="s.1", t="s.1"}[4s] r1',
    );
    assert.throws(() => substituteVariables('a{r="$nope"}', {}), /\$nope/);
  });
});
