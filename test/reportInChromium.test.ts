// Evidence for `grpo-otel report`: a run folder written through the real SDK (tensorboard, csv and
// file handlers, ~50 steps with plateaus, a collapse, validation runs and hostile model outputs),
// the report built by the CLI, then opened from disk in Debian's headless Chromium (playwright-core,
// no browser download; scripts/install-chromium.sh installs it). The page must load with no console
// error and no request but itself, every chart must hold data and have drawn it, the completions
// tables must have rows, and no model output may run as script. A full-page screenshot is saved
// (kept with GRPO_KEEP_TEST_DIRS=1).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { main } from '@grpo-otel/cli';
import { openInChromium, type PageCheck } from '../packages/report/test/support/openInChromium.js';
import { HOSTILE_COMPLETION, STEPS, writeRunFolder } from '../packages/report/test/support/writeRunFolder.js';

const EXPECTED_CHARTS = [
  'rewards',
  'accuracy',
  'policy',
  'length',
  'format',
  'diversity',
  'throughput',
  'step-time',
  'memory',
];

describe('grpo-otel report in headless Chromium', { timeout: 90_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'grpo-report-chromium-test-'));
  const screenshot = join(dir, 'report.png');
  let reportPath = '';
  let page: PageCheck;
  let signals: string[] = [];

  before(async () => {
    const run = join(dir, 'run');
    signals = (await writeRunFolder(run)).signals;
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(['report', run], {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      cwd: dir,
      env: {},
    });
    assert.equal(code, 0, err.join('\n'));
    assert.deepEqual(err, []);
    reportPath = out.join('\n');
    page = await openInChromium(reportPath, screenshot);
  });

  after(() => {
    if (process.env.GRPO_KEEP_TEST_DIRS)
      console.log(`report test files kept in ${dir} (screenshot ${screenshot})`);
    else rmSync(dir, { recursive: true, force: true });
  });

  test('the CLI printed the report path inside the run folder', () => {
    assert.equal(reportPath, join(dir, 'run', 'report.html'));
  });

  test('loads with no console error or warning, no page error, and no request but the file itself', () => {
    assert.deepEqual(page.consoleErrors, []);
    assert.deepEqual(page.pageErrors, []);
    assert.deepEqual(page.failedRequests, []);
    assert.deepEqual(page.requests, [page.url]);
    assert.equal(page.title, 'GRPO training report: report-fixture-run');
  });

  test('every chart holds the data the report inlined, and drew it', () => {
    assert.deepEqual(
      page.charts.map((c) => c.id),
      EXPECTED_CHARTS,
    );
    for (const c of page.charts) {
      assert.ok(c.rendered, `${c.id} rendered`);
      assert.equal(c.canvases, 1, `${c.id} has its canvas`);
      assert.ok(c.points > 0, `${c.id} has data`);
      assert.equal(c.points, c.expectedPoints, `${c.id}: uPlot holds every inlined value`);
      assert.ok(c.points >= STEPS, `${c.id}: at least one value per step (${c.points})`);
      assert.ok(c.inkPixels > 2000, `${c.id}: lines drawn on the canvas (${c.inkPixels} pixels)`);
      assert.ok(c.legendEntries >= 2, `${c.id}: a legend with its series`);
    }
  });

  test('the plateaus and the collapse are listed', () => {
    assert.ok(signals.length >= 2, signals.join(', '));
    assert.equal(page.signalRows, signals.length);
  });

  test('the completions tables have rows: samples with their rewards, and the model-output CSV', () => {
    assert.deepEqual(
      page.tables.map((t) => t.id),
      ['reward-samples', 'csv-1'],
    );
    for (const t of page.tables) {
      assert.ok(t.bodyRows > 0, `${t.id} has rows`);
      assert.equal(t.bodyRows, t.dataRows, t.id);
    }
    assert.deepEqual(page.tables[0]!.columns, [
      'step',
      'completion',
      'correctness_reward',
      'xml_format_reward',
    ]);
    assert.equal(page.filteredRows, 0, 'the filter hides rows that do not match');
  });

  test('model outputs cannot run script or add elements; the CSP refuses network access', () => {
    assert.ok(HOSTILE_COMPLETION.includes('<script>'));
    assert.equal(page.pwned, undefined);
    assert.equal(page.injectedElements, 0);
    assert.equal(page.scripts, 3, 'the data, the chart library and the report script');
    assert.match(
      page.csp,
      /^default-src 'none'; script-src 'sha256-[^']+' 'sha256-[^']+'; style-src 'sha256-[^']+';/,
    );
    assert.match(page.fetchOutcome, /^refused: /);
  });

  test('a full-page screenshot was taken', () => {
    assert.ok(statSync(screenshot).size > 50_000);
  });
});
