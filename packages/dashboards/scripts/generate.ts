// Writes deploy/grafana/dashboards/<uid>.json from the dashboards defined in packages/dashboards/src, and
// removes JSON files there that no dashboard generates any more. Run with `pnpm dashboards:generate`;
// a test fails while the committed files differ from what this writes.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDashboards, renderDashboard } from '../src/index.js';

const target = fileURLToPath(new URL('../../../deploy/grafana/dashboards/', import.meta.url));
mkdirSync(target, { recursive: true });
const generated = buildDashboards();
const files = new Set(generated.map((g) => g.file));
for (const { file, dashboard } of generated) {
  const path = join(target, file);
  const text = renderDashboard(dashboard);
  let old: string | undefined;
  try {
    old = readFileSync(path, 'utf8');
  } catch {
    old = undefined;
  }
  if (old === text) continue;
  writeFileSync(path, text);
  console.log(`wrote ${path}`);
}
for (const file of readdirSync(target)) {
  if (file.endsWith('.json') && !files.has(file)) {
    rmSync(join(target, file));
    console.log(`removed ${join(target, file)}`);
  }
}
