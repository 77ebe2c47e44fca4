import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The chart library inlined into every report: its minified script, stylesheet and licence. */
export interface ChartLibrary {
  name: string;
  version: string;
  script: string;
  css: string;
  license: string;
}

let cached: Promise<ChartLibrary> | undefined;

/**
 * uPlot (MIT), read from this package's dependency at run time: `dist/uPlot.iife.min.js` (defines
 * the global `uPlot`), `dist/uPlot.min.css` and its LICENSE, which the report carries in a comment.
 */
export function loadChartLibrary(): Promise<ChartLibrary> {
  cached ??= (async () => {
    const require = createRequire(import.meta.url);
    const pkgPath = require.resolve('uplot/package.json');
    const dir = dirname(pkgPath);
    const [pkg, script, css, license] = await Promise.all([
      readFile(pkgPath, 'utf8'),
      readFile(join(dir, 'dist', 'uPlot.iife.min.js'), 'utf8'),
      readFile(join(dir, 'dist', 'uPlot.min.css'), 'utf8'),
      readFile(join(dir, 'LICENSE'), 'utf8'),
    ]);
    return { name: 'uPlot', version: (JSON.parse(pkg) as { version: string }).version, script, css, license };
  })();
  cached.catch(() => {
    cached = undefined;
  });
  return cached;
}
