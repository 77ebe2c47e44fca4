import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { type ChartLibrary, loadChartLibrary, type ReportModel, renderReportHtml } from '@grpo-otel/report';

const EVIL = `</script><script>window.__pwned=1</script><img src=x onerror=alert(1)>"'&<!--`;

function model(): ReportModel {
  return {
    title: `report ${EVIL}`,
    generatedAt: '2025-01-01T00:00:00.000Z',
    folder: `/tmp/${EVIL}`,
    runs: [EVIL],
    firstStep: 1,
    lastStep: 2,
    summary: [{ label: EVIL, value: EVIL, detail: EVIL }],
    charts: [
      {
        id: 'rewards',
        title: EVIL,
        description: EVIL,
        yLabel: EVIL,
        steps: [1, 2],
        series: [{ label: EVIL, values: [0.5, null], color: 0, style: 'line' }],
        bands: [],
        points: 1,
        sources: [EVIL],
      },
    ],
    missingCharts: [{ title: EVIL, metrics: [EVIL] }],
    signals: [{ step: 2, kind: 'reward_plateau', subject: EVIL, detail: EVIL, source: 'log' }],
    tables: [
      {
        id: 'reward-samples',
        title: EVIL,
        source: EVIL,
        columns: [
          { label: EVIL, kind: 'text' },
          { label: 'ok', kind: 'bool' },
        ],
        rows: [[EVIL, true]],
        totalRows: 1,
      },
    ],
    eventFiles: [EVIL],
    csvFiles: [EVIL],
    warnings: [EVIL],
  };
}

const inlineScripts = (html: string) => [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
const inlineStyles = (html: string) => [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]!);
const hash = (s: string) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;

test('every string from the run is escaped: the only script elements are the report’s own three', async () => {
  const lib = await loadChartLibrary();
  const html = renderReportHtml(model(), lib);
  assert.equal((html.match(/<script/g) ?? []).length, 3);
  assert.equal((html.match(/<\/script>/g) ?? []).length, 3);
  assert.ok(!html.includes('<img'));
  assert.ok(!html.includes('window.__pwned=1</script>'));
  assert.ok(
    html.includes(
      '&lt;/script&gt;&lt;script&gt;window.__pwned=1&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;&lt;!--',
    ),
  );
  // The data element parses back to the model's chart data.
  const json = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html)![1]!;
  const data = JSON.parse(json) as { charts: { series: { label: string }[] }[]; signals: unknown[] };
  assert.equal(data.charts[0]!.series[0]!.label, EVIL);
  assert.deepEqual(data.signals, [{ step: 2, kind: 'reward_plateau' }]);
});

test('the CSP forbids network access and allows exactly the inline scripts and styles, by hash', async () => {
  const lib = await loadChartLibrary();
  const html = renderReportHtml(model(), lib);
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/
    .exec(html)![1]!
    .replaceAll('&#39;', "'");
  const directives = Object.fromEntries(
    csp.split('; ').map((d) => {
      const [name, ...values] = d.split(' ');
      return [name!, values];
    }),
  );
  assert.deepEqual(directives['default-src'], ["'none'"]);
  assert.deepEqual(directives['script-src'], inlineScripts(html).map(hash));
  assert.deepEqual(directives['style-src'], inlineStyles(html).map(hash));
  assert.deepEqual(directives['img-src'], ['data:']);
  for (const d of ['connect-src', 'font-src', 'frame-src', 'media-src', 'object-src', 'worker-src'])
    assert.equal(directives[d], undefined, `${d} falls back to default-src 'none'`);
  assert.ok(!csp.includes('unsafe'));
  assert.ok(!/https?:/.test(csp));
  // Inlined: the chart library, and no reference to any URL to load.
  assert.ok(html.includes(lib.script));
  const markup = html.replace(/<script>[\s\S]*?<\/script>/g, '');
  for (const tag of markup.match(/<[a-z][^>]*>/gi) ?? []) {
    const names = tag.replace(/"[^"]*"/g, '""');
    assert.ok(!/\s(src|href|action|srcset|style|on[a-z]+)=/i.test(names), tag);
  }
});

test('a chart library containing </script> is refused rather than inlined', () => {
  const bad: ChartLibrary = { name: 'x', version: '1', script: 'var a = "</script>";', css: '', license: '' };
  assert.throws(() => renderReportHtml(model(), bad), /contains '<\/script'/);
});
