/** The report's stylesheet (inlined; no style attributes anywhere, so the CSP can forbid them). */
export const REPORT_CSS = `
:root { color-scheme: light; --fg: #111827; --muted: #6b7280; --line: #e5e7eb; --bg: #ffffff; --panel: #f9fafb;
  --ok: #15803d; --bad: #b91c1c; --warn: #b45309; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--fg); background: var(--bg); }
main { max-width: 1280px; margin: 0 auto; padding: 24px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 0; }
p { margin: 4px 0; }
.meta, .sources, .note { color: var(--muted); font-size: 12px; }
.meta code, .sources code, .note code { font-size: 12px; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; overflow-wrap: anywhere; }
.summary { display: grid; grid-template-columns: repeat(auto-fill, minmax(190px, 1fr)); gap: 12px; margin-top: 16px; }
.card { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; }
.card .label { color: var(--muted); font-size: 12px; }
.card .value { font-size: 20px; font-weight: 600; }
.card .detail { color: var(--muted); font-size: 11px; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(560px, 1fr)); gap: 20px; }
figure.chart { margin: 0; border: 1px solid var(--line); border-radius: 8px; padding: 12px; min-width: 0; }
figure.chart figcaption p { color: var(--muted); font-size: 12px; }
figure.chart .plot { width: 100%; min-height: 300px; margin-top: 8px; }
.uplot { width: 100%; }
.u-legend { font-size: 12px; text-align: left; }
.u-legend th { font-weight: 500; }
figure.chart details.sources { margin-top: 4px; }
figure.chart details.sources summary { cursor: pointer; }
table.completions, table.signals { border-collapse: collapse; width: 100%; }
table.completions th, table.completions td, table.signals th, table.signals td { border-bottom: 1px solid var(--line);
  padding: 6px 8px; text-align: left; vertical-align: top; }
table.completions th, table.signals th { background: var(--panel); font-weight: 600; }
.table-wrap table.completions th { position: sticky; top: 0; }
table.completions td.num, table.completions td.step, table.completions th.num, table.signals td.step,
table.signals th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; width: 1%; }
table.completions td.time { color: var(--muted); font-size: 12px; white-space: nowrap; width: 1%; }
td.text .cell { white-space: pre-wrap; overflow-wrap: anywhere; max-height: 12em; overflow: auto;
  font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
td.ok { color: var(--ok); font-weight: 600; }
td.bad { color: var(--bad); font-weight: 600; }
.table-wrap { max-height: 720px; overflow: auto; border: 1px solid var(--line); border-radius: 8px; }
.filter { margin: 6px 0 8px; }
.filter input { width: 320px; max-width: 100%; padding: 4px 8px; border: 1px solid var(--line); border-radius: 6px; font: inherit; }
.signals td.kind { white-space: nowrap; font-weight: 600; }
.signals td.kind.plateau { color: var(--warn); }
.signals td.kind.collapse { color: var(--bad); }
.key { font-size: 12px; color: var(--muted); }
.key .plateau { color: var(--warn); font-weight: 600; }
.key .collapse { color: var(--bad); font-weight: 600; }
.warnings li { color: var(--warn); }
footer { margin-top: 40px; color: var(--muted); font-size: 12px; }
`;
