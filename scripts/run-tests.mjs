#!/usr/bin/env node
// Runs every *.test.ts under packages/*/test and test/ with Node's own test runner.
// TypeScript is loaded through tsx; the "source" export condition makes workspace packages
// resolve to their src/ (no build needed for unit tests). Pass paths or substrings to filter.
// The slow reliability suite (test/reliability/: SIGKILL trials, soak, backpressure for minutes) is
// left out of the default run and selected with `--suite=reliability`; its tests read
// GRPO_RELIABILITY=1 (set here) to run their full trial counts.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const suiteArg = args.find((a) => a.startsWith('--suite='));
const suite = suiteArg ? suiteArg.slice('--suite='.length) : 'default';
if (suite !== 'default' && suite !== 'reliability') {
  console.error(`unknown suite ${suite} (expected default or reliability)`);
  process.exit(2);
}
const filters = args.filter((a) => !a.startsWith('--suite='));

function walk(dir, out) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    if (name === 'node_modules' || name === 'dist' || name === 'fixtures') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith('.test.ts')) out.push(relative(root, p));
  }
  return out;
}

const files = [];
for (const pkg of readdirSync(join(root, 'packages'))) walk(join(root, 'packages', pkg, 'test'), files);
walk(join(root, 'test'), files);
const inSuite = (f) => f.startsWith(join('test', 'reliability')) === (suite === 'reliability');
const candidates = files.filter(inSuite);
const selected = filters.length ? candidates.filter((f) => filters.some((x) => f.includes(x))) : candidates;
if (selected.length === 0 && suite === 'reliability' && filters.length === 0) {
  console.error('the reliability suite has no test files');
  process.exit(0);
}
if (selected.length === 0) {
  console.error(`no test files in the ${suite} suite match ${filters.join(' ')}`);
  process.exit(1);
}
const res = spawnSync(
  process.execPath,
  [
    '--conditions=source',
    '--import',
    'tsx',
    '--test',
    // Reliability tests measure step times and memory: one file at a time keeps them apart.
    `--test-concurrency=${suite === 'reliability' ? 1 : 2}`,
    ...selected.sort(),
  ],
  {
    cwd: root,
    stdio: 'inherit',
    env: suite === 'reliability' ? { ...process.env, GRPO_RELIABILITY: '1' } : process.env,
  },
);
process.exit(res.status ?? 1);
