// Reads the PromQL back out of dashboard JSON (as Grafana would see it), so tests can run every query of
// every panel against a real Prometheus. Works on parsed JSON, not on the builders.

/** One Prometheus query of a panel target. */
export interface PanelQuery {
  dashboard: string;
  panel: string;
  refId: string;
  expr: string;
  /** `time_series` (default), `table` or `heatmap`. */
  format: string;
  /** True for an instant query (tables); range queries otherwise. */
  instant: boolean;
  /** Variable the panel, or the row it is in, is repeated by. */
  repeat?: string;
}

/** One query variable: `label_values(<selector>, <label>)`. */
export interface VariableQuery {
  dashboard: string;
  name: string;
  query: string;
}

interface JsonPanel {
  type?: string;
  title?: string;
  repeat?: string;
  panels?: JsonPanel[];
  datasource?: { type?: string };
  targets?: {
    expr?: string;
    refId?: string;
    format?: string;
    instant?: boolean;
    range?: boolean;
    datasource?: { type?: string };
  }[];
}

interface JsonDashboard {
  uid?: string;
  title?: string;
  panels?: JsonPanel[];
  annotations?: {
    list?: { name?: string; datasource?: { type?: string }; expr?: string; target?: { expr?: string } }[];
  };
  templating?: { list?: { type?: string; name?: string; query?: unknown }[] };
}

/**
 * Every Prometheus target of every panel, including panels inside rows, and every Prometheus annotation
 * query (as panel `annotation: <name>`, refId `Anno`). A panel after a repeated row inherits the row's
 * repeat variable (Grafana repeats the panels below a repeated row with it).
 */
export function panelQueries(dashboardJson: unknown): PanelQuery[] {
  const d = dashboardJson as JsonDashboard;
  const name = d.uid ?? d.title ?? '?';
  const out: PanelQuery[] = [];
  let rowRepeat: string | undefined;
  const visit = (p: JsonPanel, inherited: string | undefined) => {
    const repeat = p.repeat ?? inherited;
    for (const t of p.targets ?? []) {
      const type = t.datasource?.type ?? p.datasource?.type;
      if (type !== 'prometheus' || t.expr === undefined) continue;
      out.push({
        dashboard: name,
        panel: p.title ?? '?',
        refId: t.refId ?? '?',
        expr: t.expr,
        format: t.format ?? 'time_series',
        instant: t.instant === true && t.range !== true,
        ...(repeat !== undefined ? { repeat } : {}),
      });
    }
    for (const child of p.panels ?? []) visit(child, repeat);
  };
  for (const p of d.panels ?? []) {
    if (p.type === 'row') rowRepeat = p.repeat;
    visit(p, p.type === 'row' ? undefined : rowRepeat);
  }
  for (const a of d.annotations?.list ?? []) {
    const expr = a.target?.expr ?? a.expr;
    if (a.datasource?.type !== 'prometheus' || expr === undefined) continue;
    if (a.expr !== undefined && a.target?.expr !== undefined && a.expr !== a.target.expr) {
      throw new Error(`annotation '${a.name}' of ${name} has two different queries`);
    }
    out.push({
      dashboard: name,
      panel: `annotation: ${a.name ?? '?'}`,
      refId: 'Anno',
      expr,
      format: 'time_series',
      instant: false,
    });
  }
  return out;
}

/** Every query variable and its query string. */
export function variableQueries(dashboardJson: unknown): VariableQuery[] {
  const d = dashboardJson as JsonDashboard;
  const name = d.uid ?? d.title ?? '?';
  return (d.templating?.list ?? [])
    .filter((v) => v.type === 'query' && typeof v.query === 'string')
    .map((v) => ({ dashboard: name, name: v.name ?? '?', query: v.query as string }));
}

/** Splits `label_values(selector, label)` (Grafana's Prometheus variable function) into its parts. */
export function parseLabelValues(query: string): { selector: string; label: string } {
  const m = /^\s*label_values\(\s*(.+?)\s*,\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\)\s*$/s.exec(query);
  if (!m) throw new Error(`not a label_values(selector, label) query: ${query}`);
  return { selector: m[1]!, label: m[2]! };
}

/**
 * Replaces Grafana template variables (`$name`, `${name}`, `${name:format}`, `[[name]]`) with the values
 * given; names not given are an error, so a query never reaches Prometheus half-substituted.
 */
export function substituteVariables(expr: string, values: Readonly<Record<string, string>>): string {
  return expr.replace(
    /\$\{([a-zA-Z0-9_]+)(?::[^}]*)?\}|\[\[([a-zA-Z0-9_]+)\]\]|\$([a-zA-Z0-9_]+)/g,
    (whole, braced?: string, bracketed?: string, plain?: string) => {
      const name = (braced ?? bracketed ?? plain)!;
      const value = values[name];
      if (value === undefined) throw new Error(`no value for template variable ${whole} in: ${expr}`);
      return value;
    },
  );
}
