// Opens a report in Debian's headless Chromium (driven by playwright-core, no browser download) and
// reports what a person would see: console errors, failed or attempted network requests, each
// chart's drawn values and inked pixels, the tables' rows, whether injected script ran, and a
// full-page screenshot. Lives in this package so that playwright-core resolves from here.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CHROMIUM_ARGS, requireChromium } from '@grpo-otel/testkit/chromium';
import { chromium } from 'playwright-core';

export interface ChartCheck {
  id: string;
  /** Values uPlot holds for the chart's series (set by the page after drawing). */
  points: number;
  /** Values the report inlined for it. */
  expectedPoints: number;
  rendered: boolean;
  canvases: number;
  /** Canvas pixels that are not transparent/white: the chart really drew something. */
  inkPixels: number;
  legendEntries: number;
}

export interface TableCheck {
  id: string;
  dataRows: number;
  bodyRows: number;
  columns: string[];
}

export interface PageCheck {
  url: string;
  title: string;
  consoleErrors: string[];
  pageErrors: string[];
  /** Every request the page made (the document itself included). */
  requests: string[];
  failedRequests: string[];
  charts: ChartCheck[];
  tables: TableCheck[];
  signalRows: number;
  /** `window.__pwned`: set only if injected markup ran. */
  pwned: unknown;
  /** Elements that injected markup would have created. */
  injectedElements: number;
  /** Script elements in the page (the JSON data, the chart library, the report's script). */
  scripts: number;
  csp: string;
  /** Rows still shown after typing `filterText` into the first table's filter. */
  filteredRows: number;
  /** A fetch from the page to a loopback address: must be refused by the page's CSP. */
  fetchOutcome: string;
  screenshot: string;
}

type PageState = Pick<
  PageCheck,
  'title' | 'charts' | 'tables' | 'signalRows' | 'pwned' | 'injectedElements' | 'scripts' | 'csp'
>;

// Runs in the page (plain JS: this package is type-checked without the DOM library).
const PAGE_STATE = `(() => {
  const ink = (canvas) => {
    const ctx = canvas.getContext('2d');
    if (!ctx || canvas.width === 0 || canvas.height === 0) return 0;
    const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    let n = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3] > 0 && !(data[i] > 245 && data[i + 1] > 245 && data[i + 2] > 245)) n++;
    }
    return n;
  };
  const charts = [...document.querySelectorAll('figure[data-chart]')].map((f) => {
    const canvases = [...f.querySelectorAll('canvas')];
    return {
      id: f.dataset.chart || '',
      points: Number(f.dataset.points || 0),
      expectedPoints: Number(f.dataset.expectedPoints || -1),
      rendered: f.dataset.rendered === 'true',
      canvases: canvases.length,
      inkPixels: canvases.reduce((s, c) => s + ink(c), 0),
      legendEntries: f.querySelectorAll('.u-legend .u-series').length,
    };
  });
  const tables = [...document.querySelectorAll('table[data-table]')].map((t) => ({
    id: t.dataset.table || '',
    dataRows: Number(t.dataset.rows || -1),
    bodyRows: t.tBodies[0] ? t.tBodies[0].rows.length : 0,
    columns: [...t.tHead.rows[0].cells].map((c) => c.textContent || ''),
  }));
  const csp = document.querySelector('meta[http-equiv="Content-Security-Policy"]');
  return {
    title: document.title,
    charts,
    tables,
    signalRows: document.querySelectorAll('table.signals tbody tr').length,
    pwned: window.__pwned,
    injectedElements: document.querySelectorAll('img, iframe, object, embed, b, td script, div.cell *').length,
    scripts: document.scripts.length,
    csp: csp ? csp.getAttribute('content') : '',
  };
})()`;

/**
 * Loads `htmlPath` from disk in a fresh Chromium profile at 1400×900 and checks it. Throws when
 * Chromium is not installed (run scripts/install-chromium.sh).
 */
export async function openInChromium(
  htmlPath: string,
  screenshotPath: string,
  filterText = 'pwned',
): Promise<PageCheck> {
  const executablePath = requireChromium();
  const profile = mkdtempSync(join(tmpdir(), 'grpo-report-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: [...CHROMIUM_ARGS],
    viewport: { width: 1400, height: 900 },
    timeout: 30_000,
  });
  try {
    const url = pathToFileURL(htmlPath).href;
    const consoleErrors: string[] = [];
    const pageErrors: string[] = [];
    const requests: string[] = [];
    const failedRequests: string[] = [];
    // Nothing but the report file itself may be loaded; anything else is recorded and refused.
    await context.route('**/*', (route) => {
      const u = route.request().url();
      return u === url ? route.continue() : route.abort('blockedbyclient');
    });
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') consoleErrors.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('request', (r) => requests.push(r.url()));
    page.on('requestfailed', (r) => failedRequests.push(`${r.url()}: ${r.failure()?.errorText ?? '?'}`));
    await page.goto(url, { waitUntil: 'load', timeout: 30_000 });
    await page.waitForSelector('html[data-report-ready="true"]', { timeout: 15_000 });

    const state = (await page.evaluate(PAGE_STATE)) as PageState;

    await page.screenshot({ path: screenshotPath, fullPage: true });

    const firstFilter = page.locator('input[data-filter]').first();
    let filteredRows = -1;
    if ((await firstFilter.count()) > 0) {
      const tableId = await firstFilter.getAttribute('data-filter');
      await firstFilter.fill(filterText);
      filteredRows = (await page.evaluate(
        `[...document.getElementById(${JSON.stringify(tableId)}).tBodies[0].rows].filter((r) => !r.hidden).length`,
      )) as number;
      await firstFilter.fill('');
    }

    // Last, so its CSP report does not count among the page's own console errors above.
    const errorsBefore = consoleErrors.length;
    const fetchOutcome = (await page.evaluate(
      `fetch('http://127.0.0.1:9/report-must-not-fetch').then(() => 'fetched', (err) => 'refused: ' + err.message)`,
    )) as string;
    consoleErrors.splice(errorsBefore);

    return {
      url,
      ...state,
      consoleErrors,
      pageErrors,
      requests,
      failedRequests,
      filteredRows,
      fetchOutcome,
      screenshot: screenshotPath,
    };
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
