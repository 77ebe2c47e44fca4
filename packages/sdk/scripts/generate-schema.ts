// Writes schema/grpo-otel-config.schema.json from the schema the loader validates with.
// Run: pnpm sdk:schema (a test fails when the committed file is stale).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderConfigSchema } from '../src/config/renderConfigSchema.js';

const out = fileURLToPath(new URL('../schema/grpo-otel-config.schema.json', import.meta.url));
writeFileSync(out, renderConfigSchema());
console.log(`wrote ${out}`);
