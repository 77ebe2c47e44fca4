// Installable anywhere: packs every published package with `pnpm pack` (its prepack builds it), checks
// each tarball (LICENSE, README, a manifest whose exports and bin point at files it holds, no `source`
// condition, no workspace: ranges), installs the tarballs into a fresh project outside the repository
// with `npm install` (the npm registry is the only network it uses: an unreachable registry fails the
// test), then, as a new user would:
//   - type-checks with `tsc --strict` and runs the README's usage example: the first ```ts block under
//     the README's "## Using it" heading, taken as it is (see `usingItExample`), plus the ```ts blocks of
//     the sdk, semconv, file-writer and protobuf READMEs;
//   - runs the installed `grpo-otel` command: `validate-config` on the config the example used (and on a
//     broken one), `tb-dump` on the TensorBoard folder the example wrote, `report` on its output folder,
//     and `demo`, which must say that the optional demo trainer is not installed (it is not: the CLI's
//     other commands must work without tfjs);
//   - imports every installed package with `--conditions=source` (a packed `source` condition pointing
//     at .ts files would fail there).
// The demo trainer's tarball is checked but not installed (it brings tfjs; its own tests cover it).
// GRPO_PACK_EXAMPLE=<file.ts> substitutes a program for the README block (for working on the README);
// GRPO_KEEP_TEST_DIRS=1 keeps the temporary project.
import assert from 'node:assert/strict';
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { repoRoot } from '@grpo-otel/testkit/repoRoot';

const NPM_TIMEOUT_MS = 6 * 60_000;

interface Packed {
  name: string;
  dir: string;
  tarball: string;
  /** The tarball's files, extracted (`<extracted>/package/...`). */
  extracted: string;
  manifest: Record<string, unknown>;
}

/**
 * The README's usage example: the first ```ts (or ```typescript) block after the line `## Using it`,
 * before the next `## ` heading; its lines between the fences, as they are.
 */
function usingItExample(readme: string): string {
  const lines = readme.split('\n');
  const heading = lines.findIndex((l) => l.trimEnd() === '## Using it');
  assert.ok(heading >= 0, 'README.md has no "## Using it" heading');
  let i = heading + 1;
  for (; i < lines.length; i++) {
    const l = lines[i]!.trimEnd();
    assert.ok(!l.startsWith('## '), 'no ```ts block under "## Using it" before the next heading');
    if (l === '```ts' || l === '```typescript') break;
  }
  assert.ok(i < lines.length, 'no ```ts block under "## Using it"');
  const end = lines.indexOf('```', i + 1);
  assert.ok(end > i, 'the ```ts block under "## Using it" is not closed');
  return `${lines.slice(i + 1, end).join('\n')}\n`;
}

/** The ```ts blocks of a README, each a whole program. */
function tsBlocks(readme: string): string[] {
  return [...readme.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
}

/** The environment without the package managers' and OpenTelemetry's settings of this process. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !/^(npm_|NPM_|PNPM_|pnpm_|OTEL_|GRPO_)/.test(k) && k !== 'NODE_OPTIONS' && k !== 'INIT_CWD',
    ),
  );
  return { ...env, ...extra };
}

function run(
  cmd: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeout?: number },
): SpawnSyncReturns<string> {
  const r = spawnSync(cmd, args, {
    cwd: options.cwd,
    env: options.env ?? cleanEnv(),
    encoding: 'utf8',
    timeout: options.timeout ?? 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw new Error(`${cmd} ${args.join(' ')}: ${r.error.message}`);
  return r;
}

function ok(r: SpawnSyncReturns<string>, what: string): string {
  assert.equal(
    r.status,
    0,
    `${what} exited ${r.status} (signal ${r.signal})\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`,
  );
  return r.stdout;
}

/** Every file under `dir`, relative to it. */
function files(dir: string, out: string[] = [], base = dir): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) files(p, out, base);
    else out.push(relative(base, p));
  }
  return out;
}

/** The string leaves of an `exports` value (paths), and whether any key is a `source` condition. */
function exportTargets(value: unknown, out: { paths: string[]; conditions: string[] }): void {
  if (typeof value === 'string') out.paths.push(value);
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      if (!k.startsWith('.')) out.conditions.push(k);
      exportTargets(v, out);
    }
}

const CONFIG = `# The config the README example runs with (relative paths: the working directory)
version: 1
root: { level: INFO, handlers: [console, file] }
loggers:
  training: { level: INFO, handlers: [console, file, tensorboard], propagate: false }
  model_outputs: { level: INFO, handlers: [csv, file], propagate: false }
  rewards: { level: INFO, handlers: [file, tensorboard], propagate: false }
  metrics: { level: INFO, handlers: [file, tensorboard], propagate: false }
handlers:
  console: { class: logging.StreamHandler, formatter: standard, level: INFO }
  file: { class: logging.handlers.RotatingFileHandler, formatter: standard, filename: logs/training.log, maxBytes: 10485760, backupCount: 5 }
  csv:
    class: logging.custom.CSVHandler
    filename: logs/model_outputs.csv
    columns: [timestamp, grpo.step, grpo.sample.question, grpo.sample.expected_answer, grpo.sample.answer, grpo.sample.correct]
  tensorboard: { class: logging.custom.TensorBoardHandler, log_dir: logs/tensorboard }
formatters:
  standard: { format: "%(asctime)s - %(name)s - %(levelname)s - %(message)s", datefmt: "%Y-%m-%d %H:%M:%S" }
metrics:
  logging_frequency: 1
  validation_frequency: 2
  sampling_ratio: 1
  validation: { max_samples: 4, timeout_per_sample: 2 }
`;

describe('packed packages install and work in a fresh project', { timeout: 15 * 60_000 }, () => {
  const root = mkdtempSync(join(tmpdir(), 'grpo-pack-'));
  const packs = join(root, 'packs');
  const app = join(root, 'app');
  const work = join(app, 'work');
  const packed: Packed[] = [];
  const bin = (name: string) => join(app, 'node_modules', '.bin', name);
  after(() => {
    if (!process.env.GRPO_KEEP_TEST_DIRS) rmSync(root, { recursive: true, force: true });
  });

  before(() => {
    // Outside the repository: nothing of the workspace (node_modules, .npmrc, tsconfig) can leak in.
    assert.ok(relative(repoRoot, root).startsWith('..'), `${root} is inside the repository`);
    assert.ok(root.startsWith(tmpdir()));
    mkdirSync(packs);
    mkdirSync(work, { recursive: true });
  });

  test('every published package packs: built, licensed, documented, with a manifest that resolves', () => {
    const rootLicense = readFileSync(join(repoRoot, 'LICENSE'), 'utf8');
    assert.match(rootLicense, /Apache License\s+Version 2\.0, January 2004/);
    for (const name of readdirSync(join(repoRoot, 'packages')).sort()) {
      const dir = join(repoRoot, 'packages', name);
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      if (manifest.private) continue;
      assert.equal(manifest.license, 'Apache-2.0', name);
      assert.equal(manifest.scripts?.prepack, 'tsc -b', `${name}: prepack builds the package`);
      const before = new Set(readdirSync(packs));
      ok(
        run('pnpm', ['pack', '--pack-destination', packs], { cwd: dir, env: cleanEnv() }),
        `pnpm pack (${name})`,
      );
      const made = readdirSync(packs).filter((f) => f.endsWith('.tgz') && !before.has(f));
      assert.equal(made.length, 1, `${name}: ${made.join(', ')}`);
      const tarball = join(packs, made[0]!);
      const extracted = join(packs, name);
      mkdirSync(extracted);
      ok(run('tar', ['-xzf', tarball, '-C', extracted], { cwd: packs }), `tar (${name})`);
      const pkg = join(extracted, 'package');
      const inside = new Set(files(pkg));
      const packedManifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8'));
      packed.push({ name: packedManifest.name, dir, tarball, extracted: pkg, manifest: packedManifest });

      assert.equal(readFileSync(join(pkg, 'LICENSE'), 'utf8'), rootLicense, `${name}: LICENSE`);
      assert.ok(
        readFileSync(join(pkg, 'README.md'), 'utf8').startsWith(`# ${packedManifest.name}\n`),
        `${name}: README`,
      );
      assert.ok(inside.has('dist/index.js') && inside.has('dist/index.d.ts'), `${name}: dist is built`);
      const targets = { paths: [] as string[], conditions: [] as string[] };
      exportTargets(packedManifest.exports, targets);
      assert.deepEqual(
        [...new Set(targets.conditions)].sort(),
        ['default', 'types'],
        `${name}: export conditions ${JSON.stringify(packedManifest.exports)}`,
      );
      for (const p of [
        ...targets.paths,
        ...Object.values((packedManifest.bin ?? {}) as Record<string, string>),
      ]) {
        assert.ok(inside.has(p.replace(/^\.\//, '')), `${name}: ${p} is not in the tarball`);
        assert.ok(!p.endsWith('.ts') || p.endsWith('.d.ts'), `${name}: ${p}`);
      }
      for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
        for (const [dep, range] of Object.entries((packedManifest[field] ?? {}) as Record<string, string>))
          assert.ok(!range.startsWith('workspace:'), `${name}: ${field}.${dep} is ${range}`);
      }
    }
    assert.ok(packed.length >= 10, `${packed.length} packages packed`);
    const cli = packed.find((p) => p.name === '@grpo-otel/cli')!;
    // The CLI's demo trainer is an optional peer: installing the CLI does not bring tfjs.
    assert.equal((cli.manifest.dependencies as Record<string, string>)['@grpo-otel/demo-trainer'], undefined);
    assert.deepEqual(cli.manifest.peerDependenciesMeta, { '@grpo-otel/demo-trainer': { optional: true } });
  });

  test('npm installs the tarballs (all but the demo trainer) into a fresh project', () => {
    assert.ok(packed.length > 0, 'nothing was packed');
    writeFileSync(
      join(app, 'package.json'),
      `${JSON.stringify({ name: 'grpo-otel-pack-check', version: '0.0.0', private: true, type: 'module' }, null, 2)}\n`,
    );
    const tarballs = packed.filter((p) => p.name !== '@grpo-otel/demo-trainer').map((p) => p.tarball);
    const types = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).devDependencies[
      '@types/node'
    ];
    ok(
      run(
        'npm',
        ['install', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs, `@types/node@${types}`],
        {
          cwd: app,
          timeout: NPM_TIMEOUT_MS,
        },
      ),
      'npm install (it needs the npm registry)',
    );
    // Every @grpo-otel package came from a tarball, none from the registry; no tfjs came along.
    const lock = JSON.parse(readFileSync(join(app, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { resolved?: string; version?: string }>;
    };
    const ours = Object.entries(lock.packages).filter(([p]) => p.includes('node_modules/@grpo-otel/'));
    assert.equal(ours.length, tarballs.length, ours.map(([p]) => p).join(', '));
    for (const [p, entry] of ours)
      assert.match(entry.resolved ?? '', /^file:/, `${p} resolved from ${entry.resolved}`);
    const tfjs = Object.keys(lock.packages).filter((p) => /node_modules\/@tensorflow\//.test(p));
    assert.deepEqual(tfjs, []);
    assert.ok(existsSync(bin('grpo-otel')), 'the grpo-otel command is installed');
  });

  test('the README example and the package READMEs type-check with tsc --strict and run', () => {
    assert.ok(existsSync(join(app, 'node_modules', '@grpo-otel', 'sdk')), 'the packages are not installed');
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    const override = process.env.GRPO_PACK_EXAMPLE;
    const programs: Record<string, string> = {
      'readme-using-it.ts': override ? readFileSync(override, 'utf8') : usingItExample(readme),
    };
    for (const p of packed) {
      if (p.name === '@grpo-otel/demo-trainer') continue;
      const short = p.name.replace('@grpo-otel/', '');
      if (!['sdk', 'semconv', 'file-writer', 'protobuf'].includes(short)) continue;
      const blocks = tsBlocks(readFileSync(join(p.extracted, 'README.md'), 'utf8'));
      assert.ok(blocks.length > 0, `${p.name}'s README has no \`\`\`ts example`);
      blocks.forEach((b, i) => {
        programs[`readme-${short}-${i + 1}.ts`] = b;
      });
    }
    const src = join(app, 'src');
    mkdirSync(src, { recursive: true });
    for (const [file, text] of Object.entries(programs)) writeFileSync(join(src, file), text);
    writeFileSync(
      join(app, 'tsconfig.json'),
      `${JSON.stringify(
        {
          compilerOptions: {
            strict: true,
            target: 'ES2022',
            module: 'NodeNext',
            moduleResolution: 'NodeNext',
            types: ['node'],
            outDir: 'out',
            rootDir: 'src',
          },
          include: ['src'],
        },
        null,
        2,
      )}\n`,
    );
    // The workspace's TypeScript (the version the project pins), on the fresh project's files and types.
    const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
    ok(run(process.execPath, [tsc, '--strict', '-p', 'tsconfig.json'], { cwd: app }), 'tsc --strict');

    writeFileSync(join(work, 'logging_config.yaml'), CONFIG);
    // The README example first, in `work`, with the config above (also as $GRPO_OTEL_CONFIG, for an
    // example that calls initialize() without a path); then each package README program in its own folder.
    for (const file of Object.keys(programs)) {
      const cwd = file === 'readme-using-it.ts' ? work : join(app, 'runs', file.replace(/\.ts$/, ''));
      mkdirSync(cwd, { recursive: true });
      if (cwd !== work) copyFileSync(join(work, 'logging_config.yaml'), join(cwd, 'logging_config.yaml'));
      const out = join(app, 'out', file.replace(/\.ts$/, '.js'));
      const r = run(process.execPath, [out], {
        cwd,
        env: cleanEnv({ GRPO_OTEL_CONFIG: join(cwd, 'logging_config.yaml') }),
        timeout: 120_000,
      });
      ok(r, `node ${file}`);
    }
    const events = files(join(work, 'logs', 'tensorboard')).filter((f) => f.includes('events.out.tfevents.'));
    assert.ok(
      events.length >= 1,
      'the README example wrote no TensorBoard event file under logs/tensorboard',
    );
    assert.ok(statSync(join(work, 'logs', 'training.log')).size > 0, 'the README example wrote no log');
  });

  test('the packed CLI: validate-config, tb-dump and report work without the demo trainer; demo says what is missing', () => {
    assert.ok(existsSync(join(work, 'logs', 'tensorboard')), 'the README example did not run');
    const cli = (args: string[]) => run(bin('grpo-otel'), args, { cwd: work });

    const valid = ok(cli(['validate-config', 'logging_config.yaml']), 'grpo-otel validate-config');
    assert.match(valid, /^logging_config\.yaml: valid$/m);
    assert.ok(valid.includes(`relative paths resolve against ${work} (the working directory)`), valid);
    assert.match(valid, /^ {2}tensorboard +tensorboard logs\/tensorboard$/m);

    writeFileSync(join(work, 'broken.yaml'), 'version: 1\nroot:\n  handlers: [console, file\nloggers: {}\n');
    const broken = cli(['validate-config', 'broken.yaml']);
    assert.equal(broken.status, 1, broken.stderr);
    assert.match(
      broken.stderr.trim(),
      /^broken\.yaml:3:13: YAML syntax error: the '\[' opened here has no '\]'/,
    );
    assert.equal(broken.stderr.trim().split('\n').length, 1);

    const dump = ok(cli(['tb-dump', 'logs/tensorboard']), 'grpo-otel tb-dump');
    assert.match(dump, /^logs\/tensorboard: \d+ runs?$/m);
    assert.match(dump, /^run /m);
    assert.doesNotMatch(dump, /problems/);

    const report = ok(cli(['report', 'logs', '--out', 'report.html']), 'grpo-otel report');
    assert.match(report, /report\.html/);
    assert.match(readFileSync(join(work, 'report.html'), 'utf8').slice(0, 200), /<!doctype html>/i);

    const demo = cli(['demo', '--steps', '1']);
    assert.equal(demo.status, 1, `${demo.stdout}\n${demo.stderr}`);
    assert.match(demo.stderr, /the demo needs @grpo-otel\/demo-trainer, which is not installed/);
    assert.match(demo.stderr, /npm install @grpo-otel\/demo-trainer/);
  });

  test('every installed package imports with --conditions=source (no condition points at .ts files)', () => {
    const names = packed.filter((p) => p.name !== '@grpo-otel/demo-trainer').map((p) => p.name);
    assert.ok(names.length > 0);
    const script = `for (const n of ${JSON.stringify(names)}) await import(n);\nconsole.log('imported', ${names.length});`;
    const probe = join(app, 'src-import.mjs');
    writeFileSync(probe, script);
    const out = ok(run(process.execPath, ['--conditions=source', probe], { cwd: dirname(probe) }), 'imports');
    assert.match(out, new RegExp(`imported ${names.length}`));
  });
});
