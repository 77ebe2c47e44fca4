#!/usr/bin/env node
// The sdk's folders are layers: a file may import from its own folder and from the folders below
// it, never from one above (docs/architecture.md draws them). Together with `pnpm cycles` (madge,
// no import cycles) this keeps the path from a trainer's call to each sink readable from the tree.
// Usage: node scripts/check-layers.mjs   (exit 1 and one line per import up the layers)
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../packages/sdk/src');

/** Lowest first. Files at the top of src/ are named by their file name. */
export const LAYERS = [
  ['internal'], // counters, sanitizers, small pure helpers
  ['config'], // YAML, schema, resolution, levels
  ['otlp'], // bounded OTLP queues and protobuf serializers
  ['logging'], // channel loggers, Python-logging formatting, handlers, routing, local sinks
  ['traces'], // the local span file
  ['step'], // the step model
  ['step-metrics'], // values keyed by training step, for TensorBoard
  ['analysis'], // the analysis worker and what its answers become
  ['runtime'], // GrpoTelemetry (the wiring), exit hooks, the process-wide registry
  ['api.ts'], // initialize, shutdown, loggers
  ['facade'], // the calls a trainer makes
  ['validation'], // validation passes
  ['thread'], // the telemetry thread: runs the calls the training thread captured
  ['index.ts', 'otel.ts'], // the public API; the OpenTelemetry building blocks (@grpo-otel/sdk/otel)
];

const rank = new Map();
LAYERS.forEach((names, i) => {
  for (const n of names) rank.set(n, i);
});

function* tsFiles(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* tsFiles(p);
    else if (e.name.endsWith('.ts')) yield p;
  }
}

const unitOf = (file) => relative(SRC, file).split(sep)[0];
const IMPORT =
  /(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+'(\.{1,2}\/[^']+)'|import\(\s*'(\.{1,2}\/[^']+)'\s*\)/g;

const problems = [];
for (const file of tsFiles(SRC)) {
  const from = unitOf(file);
  const fromRank = rank.get(from);
  if (fromRank === undefined) {
    problems.push(
      `${relative(SRC, file)}: '${from}' is in no layer (add it to LAYERS in scripts/check-layers.mjs)`,
    );
    continue;
  }
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2];
    const target = resolve(dirname(file), spec);
    if (!target.startsWith(SRC + sep)) continue;
    const to = unitOf(target.replace(/\.js$/, '.ts'));
    const toRank = rank.get(to);
    if (toRank === undefined || toRank > fromRank)
      problems.push(`${relative(SRC, file)} imports ${spec}: '${to}' is above '${from}'`);
  }
}
if (problems.length > 0) {
  process.stderr.write(`imports up the sdk's layers:\n${problems.map((p) => `  ${p}`).join('\n')}\n`);
  process.exit(1);
}
process.stdout.write(`sdk layers: no import goes up (${LAYERS.length} layers)\n`);
