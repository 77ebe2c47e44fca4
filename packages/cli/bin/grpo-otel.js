#!/usr/bin/env node
import { main } from '../dist/main.js';

// `grpo-otel tb-dump logs | head`: a reader that stops early is not an error; stop writing and exit.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error(`grpo-otel: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 2;
  },
);
