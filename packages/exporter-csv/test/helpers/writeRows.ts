import { CsvLogRecordExporter } from '@grpo-otel/exporter-csv';
import { ExportResultCode } from '@opentelemetry/core';
import { fakeRecord } from './fakeRecord.js';

/** Column names for generated rows: attribute keys verbatim. */
export function columnNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `c${i}`);
}

/** Writes rows of text through a real CsvLogRecordExporter into `filename`, in batches. */
export async function writeRows(
  filename: string,
  rows: readonly (readonly string[])[],
  options: { formulaEscape?: boolean; batch?: number } = {},
): Promise<CsvLogRecordExporter> {
  const columns = columnNames(rows[0]?.length ?? 1);
  const exporter = new CsvLogRecordExporter({
    filename,
    columns,
    formulaEscape: options.formulaEscape ?? true,
  });
  const records = rows.map((r) =>
    fakeRecord({ attributes: Object.fromEntries(r.map((v, i) => [`c${i}`, v])) }),
  );
  const batch = options.batch ?? 7;
  const results: Promise<void>[] = [];
  for (let i = 0; i < records.length; i += batch) {
    results.push(
      new Promise((resolve, reject) =>
        exporter.export(records.slice(i, i + batch), (r) =>
          r.code === ExportResultCode.SUCCESS ? resolve() : reject(r.error),
        ),
      ),
    );
  }
  await Promise.all(results);
  await exporter.shutdown();
  return exporter;
}
