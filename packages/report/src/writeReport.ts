import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { type BuildReportOptions, buildReportModel } from './buildReportModel.js';
import { loadChartLibrary } from './loadChartLibrary.js';
import type { ReportModel } from './ReportModel.js';
import { readRunFolder } from './readRunFolder.js';
import { renderReportHtml } from './renderReportHtml.js';

/** The file name of a report written into the output folder itself. */
export const DEFAULT_REPORT_FILE = 'report.html';

export interface WriteReportOptions extends BuildReportOptions {
  /** Where to write the HTML (default: `<folder>/report.html`). Relative paths: from the working directory. */
  out?: string;
}

/** What was written. */
export interface ReportResult {
  /** The HTML file, absolute. */
  path: string;
  bytes: number;
  model: ReportModel;
}

/**
 * Reads an output folder (see {@link readRunFolder}), builds the report and writes it as one
 * self-contained HTML file: `<folder>/report.html` unless `out` says otherwise. The file is
 * written beside its final name and renamed into place, so a reader never sees half a report.
 * Throws a `ReportError` for a missing folder or one without event files.
 */
export async function writeReport(folder: string, options: WriteReportOptions = {}): Promise<ReportResult> {
  const run = await readRunFolder(folder);
  const model = buildReportModel(run, options);
  const html = renderReportHtml(model, await loadChartLibrary());
  const path = options.out !== undefined ? resolve(options.out) : join(run.folder, DEFAULT_REPORT_FILE);
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(tmp, html, 'utf8');
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  return { path, bytes: Buffer.byteLength(html), model };
}
