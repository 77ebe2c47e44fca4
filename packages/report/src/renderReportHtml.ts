import { createHash } from 'node:crypto';
import { escapeHtml, jsonForHtmlScript } from './escapeHtml.js';
import { CLIENT_SCRIPT } from './internal/clientScript.js';
import { REPORT_CSS } from './internal/styles.js';
import type { ChartLibrary } from './loadChartLibrary.js';
import type { CellKind, CompletionTable, ReportModel, SignalMark } from './ReportModel.js';

const e = escapeHtml;

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/**
 * The Content-Security-Policy of a report: nothing may be fetched (no `connect-src`, `img-src`
 * beyond `data:`, fonts, frames, objects, forms or base URL), and only the report's own inline
 * scripts and styles run, named by their SHA-256 hashes (no `unsafe-inline`: injected markup
 * could not run even if it got past the escaping).
 */
export function contentSecurityPolicy(scripts: readonly string[], styles: readonly string[]): string {
  return [
    "default-src 'none'",
    `script-src ${scripts.map(sha256).join(' ')}`,
    `style-src ${styles.map(sha256).join(' ')}`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

function fmtNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(3);
  return String(Number(v.toPrecision(4)));
}

function signalClass(kind: string): string {
  return kind.endsWith('plateau') ? 'plateau' : 'collapse';
}

function signalLabel(s: SignalMark): string {
  return `${s.kind.replace(/_/g, ' ')}${s.subject ? ` (${s.subject})` : ''}`;
}

function cell(value: string | number | boolean | null, kind: CellKind): string {
  if (value === null) return `<td class="${kind === 'number' || kind === 'step' ? 'num' : kind}"></td>`;
  if (kind === 'bool' && typeof value === 'boolean')
    return value ? '<td class="ok">✓ yes</td>' : '<td class="bad">✗ no</td>';
  if (typeof value === 'number')
    return `<td class="${kind === 'step' ? 'step' : 'num'}">${e(fmtNumber(value))}</td>`;
  if (kind === 'text') return `<td class="text"><div class="cell">${e(String(value))}</div></td>`;
  return `<td class="${kind === 'time' ? 'time' : 'text'}">${e(String(value))}</td>`;
}

function renderTable(t: CompletionTable): string {
  const id = `table-${t.id}`;
  const head = t.columns
    .map((c) => `<th${c.kind === 'number' || c.kind === 'step' ? ' class="num"' : ''}>${e(c.label)}</th>`)
    .join('');
  const body = t.rows
    .map((r) => `<tr>${r.map((v, i) => cell(v, t.columns[i]?.kind ?? 'text')).join('')}</tr>`)
    .join('\n');
  const shown =
    t.rows.length < t.totalRows
      ? `${t.rows.length} of ${t.totalRows} rows, evenly spaced over the run`
      : `${t.totalRows} row${t.totalRows === 1 ? '' : 's'}`;
  return `<section class="completions-section">
<h2>${e(t.title)}</h2>
<p class="note">${e(shown)}; from <code>${e(t.source)}</code>. Text is shown exactly as the model wrote it.</p>
<p class="filter"><input type="search" placeholder="Filter rows" aria-label="Filter rows of ${e(t.title)}" data-filter="${e(id)}"></p>
<div class="table-wrap"><table class="completions" id="${e(id)}" data-table="${e(t.id)}" data-rows="${t.rows.length}">
<thead><tr>${head}</tr></thead>
<tbody>
${body}
</tbody></table></div>
</section>`;
}

function renderSignals(signals: readonly SignalMark[]): string {
  if (signals.length === 0)
    return '<h2>Plateaus and collapses</h2>\n<p class="note">No plateau or collapse detector switched on in this run.</p>';
  const rows = signals
    .map(
      (s) =>
        `<tr><td class="step">${s.step}</td><td class="kind ${signalClass(s.kind)}">${e(signalLabel(s))}</td><td>${e(s.detail ?? '')}</td></tr>`,
    )
    .join('\n');
  return `<h2>Plateaus and collapses</h2>
<p class="key">Marked on every chart as dashed vertical lines: <span class="plateau">plateaus</span> in amber, <span class="collapse">collapses</span> in red.</p>
<table class="signals" data-signals="${signals.length}"><thead><tr><th class="num">step</th><th>detector</th><th>detail</th></tr></thead>
<tbody>
${rows}
</tbody></table>`;
}

/**
 * The report as one self-contained HTML document: the model's charts (drawn in the browser by the
 * inlined chart library from inlined JSON), the plateau/collapse marks, the completions tables and
 * the files read. Every string from the run (labels, completions, paths, messages) is HTML-escaped;
 * the JSON is escaped for its script element; a strict Content-Security-Policy forbids any network
 * access and any script or style but the report's own. Pure: no I/O.
 */
export function renderReportHtml(model: ReportModel, library: ChartLibrary): string {
  const data = jsonForHtmlScript({
    charts: model.charts.map((c) => ({
      id: c.id,
      yLabel: c.yLabel,
      y2Label: c.y2Label,
      unitRange: c.unitRange === true,
      steps: c.steps,
      series: c.series,
      bands: c.bands,
    })),
    signals: model.signals.map((s) => ({ step: s.step, kind: s.kind })),
  });
  const css = `${library.css}\n${REPORT_CSS}`;
  const csp = contentSecurityPolicy([library.script, CLIENT_SCRIPT], [css]);
  const steps =
    model.firstStep !== undefined && model.lastStep !== undefined
      ? `steps ${model.firstStep}–${model.lastStep}`
      : 'no steps';
  const summary = model.summary
    .map(
      (s) =>
        `<div class="card"><div class="label">${e(s.label)}</div><div class="value">${e(s.value)}</div>${s.detail ? `<div class="detail">${e(s.detail)}</div>` : ''}</div>`,
    )
    .join('\n');
  const charts = model.charts
    .map(
      (
        c,
      ) => `<figure class="chart" id="chart-${e(c.id)}" data-chart="${e(c.id)}" data-series="${c.series.length}" data-expected-points="${c.points}">
<figcaption><h3>${e(c.title)}</h3><p>${e(c.description)}</p></figcaption>
<div class="plot"></div>
<details class="sources"><summary>Data: ${c.series.length} series from ${c.sources.length} tag${c.sources.length === 1 ? '' : 's'}</summary>${c.sources.map((s) => `<code>${e(s)}</code>`).join(', ')}</details>
</figure>`,
    )
    .join('\n');
  const missing = model.missingCharts.length
    ? `<p class="note">Not in this run (no data for): ${model.missingCharts
        .map((m) => `${e(m.title)} (${m.metrics.map((x) => `<code>${e(x)}</code>`).join(', ')})`)
        .join('; ')}.</p>`
    : '';
  const tables = model.tables.length
    ? model.tables.map(renderTable).join('\n')
    : '<h2>Sampled completions</h2>\n<p class="note">No completions in this folder: route the <code>rewards</code> channel to a tensorboard handler (samples with their rewards) or the <code>model_outputs</code> channel to a csv handler.</p>';
  const warnings = model.warnings.length
    ? `<h2>Warnings</h2><ul class="warnings">${model.warnings.map((w) => `<li>${e(w)}</li>`).join('')}</ul>`
    : '';
  const licenseComment = library.license.replace(/--/g, '- -').replace(/>/g, ')');
  for (const [what, text] of [
    ['chart library', library.script],
    ['report script', CLIENT_SCRIPT],
  ] as const) {
    if (/<\/script|<!--/i.test(text)) throw new Error(`the ${what} contains '</script' or '<!--'`);
  }
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${e(csp)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="grpo-otel report">
<title>${e(model.title)}</title>
<style>${css}</style>
</head>
<body>
<main>
<header>
<h1>${e(model.title)}</h1>
<p class="meta">${e(steps)} · folder <code>${e(model.folder)}</code> · generated ${e(model.generatedAt)}</p>
</header>
<section class="summary">
${summary}
</section>
${renderSignals(model.signals)}
<h2>Charts</h2>
<section class="charts">
${charts}
</section>
${missing}
${tables}
${warnings}
<footer>
<p>Read ${model.eventFiles.length} event file${model.eventFiles.length === 1 ? '' : 's'}: ${model.eventFiles.map((f) => `<code>${e(f)}</code>`).join(', ')}${
    model.csvFiles.length ? `; CSV: ${model.csvFiles.map((f) => `<code>${e(f)}</code>`).join(', ')}` : ''
  }.</p>
<p>A self-contained page: it loads nothing from anywhere. Charts drawn with ${e(library.name)} ${e(library.version)} (MIT licence, included in this file).</p>
</footer>
</main>
<script type="application/json" id="report-data">${data}</script>
<!-- ${library.name} ${library.version}
${licenseComment}-->
<script>${library.script}</script>
<script>${CLIENT_SCRIPT}</script>
</body>
</html>
`;
}
