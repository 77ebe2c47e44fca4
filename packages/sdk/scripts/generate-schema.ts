// Writes schema/grpo-otel-config.schema.json from the schema the loader validates with, then
// docs/configuration.md (every key: type, default, example) from that JSON file.
// Run: pnpm sdk:schema (tests fail when either committed file is stale).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderConfigSchema } from '../src/config/renderConfigSchema.js';
import { renderConfigReference } from './renderConfigReference.js';

const schemaFile = fileURLToPath(new URL('../schema/grpo-otel-config.schema.json', import.meta.url));
writeFileSync(schemaFile, renderConfigSchema());
console.log(`wrote ${schemaFile}`);

const docsFile = fileURLToPath(new URL('../../../docs/configuration.md', import.meta.url));
writeFileSync(docsFile, renderConfigReference(JSON.parse(readFileSync(schemaFile, 'utf8'))));
console.log(`wrote ${docsFile}`);
