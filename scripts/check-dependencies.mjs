#!/usr/bin/env node
// Each package declares what its code imports, and nothing it does not: for every workspace
// package (and the root, whose package.json serves test/, bench/ and scripts/), the bare imports of
// its sources are compared with its package.json.
//   - an import in src/ or bin/ (published code) must be a dependency or peer dependency;
//   - an import in test/, scripts/ or bench/ must be declared in any section (Node would otherwise
//     find it in the root's node_modules by walking up, and a package's tests would lean on the root);
//   - a declared package that nothing imports is unused, unless it is a tool run by name (TOOLS);
//   - workspace packages do not depend on each other in a cycle (devDependencies included).
// Imports are read from the text (static and dynamic `import`, `export ... from`, `require`);
// `node:` built-ins, relative paths and a package's own name are skipped. Exit code 1 on a problem.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

// The workspace to check: the repository, or the directory given as the only argument (for the test).
const root = process.argv[2] ?? fileURLToPath(new URL('..', import.meta.url));

/** Declared for what they run, not for what is imported: why each is allowed to be unimported. */
const TOOLS = {
  '@biomejs/biome': 'the linter (`biome check`)',
  madge: 'the import-cycle check (`pnpm cycles`)',
  tsx: 'the TypeScript loader (`node --import tsx`)',
  typescript: 'the compiler (`tsc`)',
  '@types/node': 'Node types for tsc',
  '@grpo-otel/cli': 'the `grpo-otel` command the root installs (scripts/demo.sh runs its bin)',
};

/**
 * Imports in published code that only run in development, by package: they must be devDependencies.
 * The reason is printed nowhere; it is here for the reader.
 */
const DEV_ONLY_IN_SRC = {
  '@grpo-otel/sdk': {
    tsx: 'the analysis worker registers tsx only when the sdk runs from its TypeScript sources',
    'json-schema-to-ts':
      'types only (import type): RawConfig is derived from the schema at compile time; no public type reaches it',
  },
};

const CODE = /\.(ts|mts|cts|js|mjs|cjs)$/;
const PUBLISHED_DIRS = ['src', 'bin'];
const DEV_DIRS = ['test', 'scripts', 'bench'];
const BUILTINS = new Set(builtinModules);

function walk(dir, out = []) {
  let names;
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of names) {
    if (name === 'node_modules' || name === 'dist') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (CODE.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

const SPECIFIERS = [
  // import x from 'p'; import type { X } from 'p'; export { x } from 'p' (statements start a line)
  /^(?:import|export)\s[^;]*?\sfrom\s+['"]([^'"\n]+)['"]/gm,
  // import 'p';
  /^import\s+['"]([^'"\n]+)['"]/gm,
  // a dynamic import, require, require.resolve or import.meta.resolve of a string literal
  /(?<![\w$.])(?:import|require|require\.resolve|import\.meta\.resolve)\(\s*['"]([^'"\n]+)['"]\s*\)/g,
];

/** The package names a source file imports (bare specifiers only). */
function importedPackages(file) {
  const text = readFileSync(file, 'utf8');
  const out = new Set();
  for (const spec of SPECIFIERS.flatMap((re) => [...text.matchAll(re)].map((m) => m[1]))) {
    if (!spec || spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('node:')) continue;
    const parts = spec.split('/');
    const name = spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
    if (BUILTINS.has(name)) continue;
    out.add(name);
  }
  return out;
}

function check(dir, manifest, published, dev) {
  const problems = [];
  const deps = new Set([
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.peerDependencies ?? {}),
    ...Object.keys(manifest.optionalDependencies ?? {}),
  ]);
  const declared = new Set([...deps, ...Object.keys(manifest.devDependencies ?? {})]);
  const used = new Set();
  const where = (file) => relative(root, file);
  for (const file of published) {
    for (const name of importedPackages(file)) {
      if (name === manifest.name) continue;
      used.add(name);
      const devOnly = DEV_ONLY_IN_SRC[manifest.name]?.[name] !== undefined;
      if (devOnly ? !declared.has(name) : !deps.has(name)) {
        problems.push(
          declared.has(name)
            ? `${where(file)} imports ${name}, which is only a devDependency of ${manifest.name}`
            : `${where(file)} imports ${name}, which ${manifest.name} does not declare`,
        );
      }
    }
  }
  for (const file of dev) {
    for (const name of importedPackages(file)) {
      if (name === manifest.name) continue;
      used.add(name);
      if (!declared.has(name))
        problems.push(`${where(file)} imports ${name}, which ${manifest.name} does not declare`);
    }
  }
  for (const name of declared) {
    if (!used.has(name) && !(name in TOOLS)) {
      problems.push(
        `${manifest.name} declares ${name} in ${relative(root, join(dir, 'package.json'))}; nothing imports it`,
      );
    }
  }
  return problems;
}

const problems = [];
const manifests = new Map();
for (const pkg of readdirSync(join(root, 'packages')).sort()) {
  const dir = join(root, 'packages', pkg);
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  } catch {
    continue;
  }
  manifests.set(manifest.name, manifest);
  const published = PUBLISHED_DIRS.flatMap((d) => walk(join(dir, d)));
  const dev = DEV_DIRS.flatMap((d) => walk(join(dir, d)));
  problems.push(...check(dir, manifest, published, dev));
}
const rootManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
// The root's package.json serves its test, bench and scripts folders and the generators under deploy/.
problems.push(
  ...check(
    root,
    rootManifest,
    [],
    [...DEV_DIRS, 'deploy'].flatMap((d) => walk(join(root, d))),
  ),
);

// No cycle among the workspace's packages, devDependencies included (pnpm -r refuses to order one).
const sections = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'];
const edges = (name) =>
  [...new Set(sections.flatMap((s) => Object.keys(manifests.get(name)[s] ?? {})))].filter((d) =>
    manifests.has(d),
  );
const state = new Map(); // name -> 'open' while on the path, 'done' after
const path = [];
const visit = (name) => {
  state.set(name, 'open');
  path.push(name);
  for (const next of edges(name)) {
    if (state.get(next) === 'open') {
      const cycle = [...path.slice(path.indexOf(next)), next].join(' -> ');
      problems.push(`workspace packages depend on each other in a cycle: ${cycle}`);
    } else if (!state.has(next)) visit(next);
  }
  path.pop();
  state.set(name, 'done');
};
for (const name of [...manifests.keys()].sort()) if (!state.has(name)) visit(name);

if (problems.length > 0) {
  for (const p of problems) console.error(p);
  console.error(`${problems.length} dependency problem(s)`);
  process.exit(1);
}
