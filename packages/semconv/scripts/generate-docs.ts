// Writes docs/semconv.md from the definitions in packages/semconv/src. Run with `pnpm semconv:docs`.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderSemconvMarkdown } from '../src/renderSemconvMarkdown.js';

const target = fileURLToPath(new URL('../../../docs/semconv.md', import.meta.url));
writeFileSync(target, renderSemconvMarkdown());
console.log(`wrote ${target}`);
