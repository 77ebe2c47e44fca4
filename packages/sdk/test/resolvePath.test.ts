// The path rule: relative config paths resolve against the working directory (Python's logging.config
// rule), or the baseDir the caller gives, and stay inside it (as written and on disk); absolute paths are
// used as written. Every violation is a one-line ConfigError at its key.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { ConfigError, loadConfigFile, parseConfig } from '@grpo-otel/sdk';
import { ConfigPathError, resolvePath } from '../src/config/resolvePath.js';

const root = realpathSync(mkdtempSync(join(tmpdir(), 'grpo-path-')));
const base = join(root, 'cfg');
const outside = join(root, 'outside');
mkdirSync(join(base, 'logs'), { recursive: true });
mkdirSync(outside);
symlinkSync(outside, join(base, 'escape')); // base/escape -> ../outside
symlinkSync(join(base, 'logs'), join(base, 'inner')); // base/inner -> base/logs (stays inside)
after(() => rmSync(root, { recursive: true, force: true }));

function refused(p: string): string {
  let err: unknown;
  try {
    resolvePath(base, p, ['handlers', 'file', 'filename']);
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof ConfigPathError, `expected ${JSON.stringify(p)} to be refused`);
  assert.deepEqual(err.keyPath, ['handlers', 'file', 'filename']);
  return err.detail;
}

describe('resolvePath', () => {
  test('relative paths inside the base directory resolve against it', () => {
    assert.equal(resolvePath(base, 'train.log'), join(base, 'train.log'));
    assert.equal(resolvePath(base, 'logs/train.log'), join(base, 'logs', 'train.log'));
    assert.equal(resolvePath(base, './logs/../train.log'), join(base, 'train.log'));
    assert.equal(resolvePath(base, 'new/dir/train.log'), join(base, 'new', 'dir', 'train.log'));
    assert.equal(resolvePath(base, '.'), base);
    // A symlink that stays inside is fine.
    assert.equal(resolvePath(base, 'inner/x.log'), join(base, 'inner', 'x.log'));
  });

  test('absolute paths are used as written (the user chose them)', () => {
    assert.equal(resolvePath(base, '/var/log/grpo/train.log'), '/var/log/grpo/train.log');
    assert.equal(resolvePath(base, join(outside, 'x.log')), join(outside, 'x.log'));
  });

  test('.. that leaves the base directory is refused with the reason and the way out', () => {
    for (const p of [
      '../x.log',
      '..',
      'logs/../../x.log',
      './../cfg2/x',
      'a/b/../../../x',
      '../../../../etc/passwd',
    ]) {
      const detail = refused(p);
      assert.match(detail, /leaves its base directory/);
      assert.match(detail, /write an absolute path/);
      assert.ok(detail.includes(p), detail);
    }
  });

  test('encoded and look-alike tricks are plain names (nothing is decoded), so they stay inside', () => {
    assert.equal(resolvePath(base, '%2e%2e/x.log'), join(base, '%2e%2e', 'x.log'));
    assert.equal(resolvePath(base, '%2E%2E%2Fx.log'), join(base, '%2E%2E%2Fx.log'));
    assert.equal(resolvePath(base, '..%2fx.log'), join(base, '..%2fx.log'));
    assert.equal(resolvePath(base, '...'), join(base, '...'));
    assert.equal(resolvePath(base, '..x'), join(base, '..x'));
    // A backslash is an ordinary character in a POSIX file name.
    assert.equal(resolvePath(base, '..\\x.log'), join(base, '..\\x.log'));
    // Full-width dots (U+FF0E) are not dots.
    assert.equal(resolvePath(base, '\uff0e\uff0e/x.log'), join(base, '\uff0e\uff0e', 'x.log'));
  });

  test('a NUL byte is refused', () => {
    assert.match(refused('x.log\0../../etc/passwd'), /NUL/);
  });

  test('a symlink inside the base directory that points outside is refused', () => {
    const detail = refused('escape/x.log');
    assert.match(detail, /symbolic link/);
    assert.ok(detail.includes(outside), detail);
    assert.match(refused('escape'), /symbolic link/);
    assert.match(refused('escape/deeper/still/x.log'), /symbolic link/);
  });
});

describe('the loader applies the rule to every path key', () => {
  const cases: [string, string, string][] = [
    [
      'handlers: { f: { class: logging.FileHandler, filename: ../x.log } }',
      'handlers.f.filename',
      '../x.log',
    ],
    ['handlers: { c: { class: csv, filename: ../rows.csv } }', 'handlers.c.filename', '../rows.csv'],
    ['handlers: { tb: { class: tensorboard, log_dir: ../../tb } }', 'handlers.tb.log_dir', '../../tb'],
    [
      'metrics: { validation: { dataset_path: ../data.jsonl } }',
      'metrics.validation.dataset_path',
      '../data.jsonl',
    ],
    [
      'otlp: { endpoint: "https://127.0.0.1:4318", tls: { ca_file: ../ca.pem } }',
      'otlp.tls.ca_file',
      '../ca.pem',
    ],
    [
      'handlers: { o: { class: otlp, endpoint: "https://127.0.0.1:4318", tls: { cert_file: ../c.pem, key_file: k.pem } } }',
      'handlers.o.tls.cert_file',
      '../c.pem',
    ],
    [
      'handlers: { f: { class: logging.FileHandler, filename: escape/x.log } }',
      'handlers.f.filename',
      'escape/x.log',
    ],
  ];
  for (const [body, keyPath, p] of cases) {
    test(`${keyPath}: ${p}`, () => {
      const file = join(base, 'bad.yaml');
      writeFileSync(file, `version: 1\n${body}\n`);
      let err: unknown;
      try {
        loadConfigFile(file, { env: {}, baseDir: base });
      } catch (e) {
        err = e;
      }
      assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
      assert.equal(err.keyPath, keyPath, err.message);
      assert.equal(err.line, 2, err.message);
      assert.ok(err.message.startsWith(`${file}:2:`), err.message);
      assert.ok(!err.message.includes('\n'), 'one line');
      assert.ok(err.message.includes(p), err.message);
    });
  }

  test("by default the base directory is the working directory, not the config file's", () => {
    // The config lives in a subfolder and names a path under that subfolder, as `initialize('scratch/p.yaml')`
    // with `filename: scratch/train.log` does: the file goes to ./scratch/train.log, as under Python.
    mkdirSync(join(base, 'scratch'), { recursive: true });
    writeFileSync(
      join(base, 'scratch', 'p.yaml'),
      'version: 1\nhandlers:\n  f: { class: logging.FileHandler, filename: scratch/train.log }\n  tb: { class: tensorboard, log_dir: escape/tb }\n',
    );
    const previous = process.cwd();
    process.chdir(base);
    try {
      let err: unknown;
      try {
        loadConfigFile('scratch/p.yaml', { env: {} });
      } catch (e) {
        err = e;
      }
      // The rule holds against the working directory: base/escape is a symlink out of it.
      assert.ok(err instanceof ConfigError, String(err));
      assert.equal(err.keyPath, 'handlers.tb.log_dir');
      assert.match(
        err.message,
        /^scratch\/p\.yaml:4:38: handlers\.tb\.log_dir: path 'escape\/tb' leaves its base directory through a symbolic link/,
      );
      assert.ok(
        err.message.includes(`the base directory ${base} (the working directory unless baseDir is given)`),
      );
      writeFileSync(
        join(base, 'scratch', 'p.yaml'),
        'version: 1\nhandlers:\n  f: { class: logging.FileHandler, filename: scratch/train.log }\n',
      );
      const cfg = loadConfigFile('scratch/p.yaml', { env: {} });
      assert.equal(cfg.baseDir, base);
      const h = cfg.handlers.get('f');
      assert.equal(h?.type === 'file' ? h.filename : undefined, join(base, 'scratch', 'train.log'));
      // `..` out of the working directory is refused as it was out of the config's directory.
      writeFileSync(
        join(base, 'up.yaml'),
        'version: 1\nhandlers: { f: { class: file, filename: ../x.log } }\n',
      );
      assert.throws(
        () => loadConfigFile('up.yaml', { env: {} }),
        (e: unknown) => e instanceof ConfigError && /leaves its base directory/.test(e.message),
      );
    } finally {
      process.chdir(previous);
    }
  });

  test('an absolute path elsewhere is accepted', () => {
    const cfg = parseConfig(
      `version: 1\nhandlers: { f: { class: logging.FileHandler, filename: ${join(outside, 'x.log')} } }\n`,
      { source: 'ok.yaml', baseDir: base, env: {} },
    );
    const h = cfg.handlers.get('f');
    assert.equal(h?.type === 'file' ? h.filename : undefined, join(outside, 'x.log'));
  });

  test('an absolute path from ${env:...} is accepted; a relative one is held to the rule', () => {
    const text = 'version: 1\nhandlers: { f: { class: logging.FileHandler, filename: "${env:LOG}" } }\n';
    const ok = parseConfig(text, { source: 'ok.yaml', baseDir: base, env: { LOG: join(outside, 'y.log') } });
    const h = ok.handlers.get('f');
    assert.equal(h?.type === 'file' ? h.filename : undefined, join(outside, 'y.log'));
    assert.throws(
      () => parseConfig(text, { source: 'bad.yaml', baseDir: base, env: { LOG: '../y.log' } }),
      (e: unknown) => e instanceof ConfigError && e.keyPath === 'handlers.f.filename',
    );
  });
});
