// Writes python/grpo_otel/semconv.py (the Python bridge's names) from the definitions in
// packages/semconv/src. Run with `pnpm semconv:python`.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderPythonSemconv } from '../src/renderPythonSemconv.js';

const target = fileURLToPath(new URL('../../../python/grpo_otel/semconv.py', import.meta.url));
writeFileSync(target, renderPythonSemconv());
console.log(`wrote ${target}`);
