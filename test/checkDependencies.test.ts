// scripts/check-dependencies.mjs (`pnpm deps`, run by scripts/test.sh) on the repository and on a
// small workspace with every kind of mistake it must name.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '@grpo-otel/testkit/repoRoot';
import { tempDir } from '@grpo-otel/testkit/tempDir';

const script = join(repoRoot, 'scripts', 'check-dependencies.mjs');

function check(root?: string): { status: number | null; lines: string[] } {
  const r = spawnSync(process.execPath, [script, ...(root ? [root] : [])], { encoding: 'utf8' });
  return { status: r.status, lines: r.stderr.split('\n').filter((l) => l !== '') };
}

function write(path: string, text: string): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
}

test('the repository: every package declares what it imports, and nothing more', () => {
  assert.deepEqual(check(), { status: 0, lines: [] });
});

test('a workspace with undeclared, dev-only, unused and root-level mistakes: each is named', (t) => {
  const root = tempDir(t, 'grpo-deps-');
  write(join(root, 'package.json'), JSON.stringify({ name: 'ws', devDependencies: { tsx: '1', yaml: '1' } }));
  write(
    join(root, 'packages', 'a', 'package.json'),
    JSON.stringify({
      name: '@ws/a',
      dependencies: { used: '1', unused: '1' },
      devDependencies: { 'dev-only': '1', 'fast-check': '1' },
    }),
  );
  // The source is a fixture file (not .ts), so that this test's own text holds no import to check.
  write(
    join(root, 'packages', 'a', 'src', 'index.ts'),
    readFileSync(join(repoRoot, 'test', 'fixtures', 'checkDependencies', 'index.ts.txt'), 'utf8'),
  );
  write(join(root, 'packages', 'a', 'test', 'a.test.ts'), "import fc from 'fast-check';\nimport '@ws/a';\n");
  write(join(root, 'test', 'top.test.ts'), "import { parse } from 'yaml';\nimport fc from 'fast-check';\n");
  const { status, lines } = check(root);
  assert.equal(status, 1);
  assert.deepEqual(
    lines.sort(),
    [
      '6 dependency problem(s)',
      '@ws/a declares unused in packages/a/package.json; nothing imports it',
      'packages/a/src/index.ts imports @scope/missing, which @ws/a does not declare',
      'packages/a/src/index.ts imports dev-only, which is only a devDependency of @ws/a',
      'packages/a/src/index.ts imports in-a-comment, which @ws/a does not declare',
      'packages/a/src/index.ts imports lazy-one, which @ws/a does not declare',
      'test/top.test.ts imports fast-check, which ws does not declare',
    ].sort(),
  );
});

test('workspace packages that depend on each other in a cycle, through devDependencies too, are named', (t) => {
  const root = tempDir(t, 'grpo-deps-cycle-');
  write(join(root, 'package.json'), JSON.stringify({ name: 'ws' }));
  write(
    join(root, 'packages', 'a', 'package.json'),
    JSON.stringify({ name: '@ws/a', devDependencies: { '@ws/b': 'workspace:*' } }),
  );
  write(join(root, 'packages', 'a', 'test', 'a.test.ts'), "import '@ws/b';\n");
  write(
    join(root, 'packages', 'b', 'package.json'),
    JSON.stringify({ name: '@ws/b', dependencies: { '@ws/a': 'workspace:*' } }),
  );
  write(join(root, 'packages', 'b', 'src', 'index.ts'), "export { a } from '@ws/a';\n");
  assert.deepEqual(check(root), {
    status: 1,
    lines: [
      'workspace packages depend on each other in a cycle: @ws/a -> @ws/b -> @ws/a',
      '1 dependency problem(s)',
    ],
  });
});
