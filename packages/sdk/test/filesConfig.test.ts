import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, parseConfig } from '../src/index.js';

const parse = (text: string) =>
  parseConfig(`version: 1\n${text}`, { source: 'c.yaml', baseDir: '/base', env: {} });

test('files: owner+group by default (0640 files, 0750 directories)', () => {
  assert.deepEqual(parse('').files, { mode: 0o640, dirMode: 0o750 });
});

test('files: octal strings and YAML octals', () => {
  assert.deepEqual(parse('files:\n  mode: "0600"\n  dir_mode: "700"\n').files, {
    mode: 0o600,
    dirMode: 0o700,
  });
  assert.deepEqual(parse('files:\n  mode: 0o600\n  dir_mode: 0o700\n').files, {
    mode: 0o600,
    dirMode: 0o700,
  });
});

test('files: a mode that is not octal permission bits is a config error naming the key', () => {
  for (const bad of ['"0999"', '640', '"rw-r-----"', '-1']) {
    assert.throws(
      () => parse(`files:\n  mode: ${bad}\n`),
      (e: unknown) => e instanceof ConfigError && /files\.mode/.test(e.message),
      `mode: ${bad}`,
    );
  }
  assert.throws(() => parse('files:\n  umask: "022"\n'), ConfigError);
});

test('files: a decimal that reads like an octal mode (YAML 640, 0640) says how to write it', () => {
  for (const [bad, octal] of [
    ['640', '0640'],
    ['0640', '0640'],
    ['750', '0750'],
  ] as const) {
    assert.throws(
      () => parse(`files:\n  dir_mode: ${bad}\n`),
      (e: unknown) =>
        e instanceof ConfigError &&
        e.message.includes(`files.dir_mode: expected a permission mode, got ${Number(bad)} (decimal)`) &&
        e.message.includes(`'${octal}' (quoted) or 0o${octal.slice(1)}`),
      `dir_mode: ${bad}`,
    );
  }
});
