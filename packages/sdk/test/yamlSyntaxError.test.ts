// A YAML syntax error is reported where the broken construct starts (an unclosed bracket or quote),
// with where the parser noticed it when that is elsewhere: the parser only notices an unclosed `[` at
// the next line that no longer fits, often the next key, lines later.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError, parseConfig } from '@grpo-otel/sdk';

function syntaxError(text: string): ConfigError {
  try {
    parseConfig(text, { source: 'bad.yaml', baseDir: '/base', env: {} });
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    assert.ok(!err.message.includes('\n'), 'one line');
    return err;
  }
  assert.fail('the config loaded');
}

describe('YAML syntax errors point at the construct that broke', () => {
  const cases: [string, string, [number, number], RegExp][] = [
    [
      'an unclosed [ before the next key',
      'version: 1\nroot:\n  level: INFO\n  handlers: [console, file\nloggers:\n  training:\n    level: INFO\n',
      [4, 13],
      /^YAML syntax error: the '\[' opened here has no '\]' \(noticed at line 5, column 1: Flow sequence .* end with a \]\)$/,
    ],
    [
      'an unclosed [ with blank and comment lines before the next key',
      'version: 1\nroot:\n  handlers: [console\n\n  # the file handler\n\nloggers: {}\n',
      [3, 13],
      /^YAML syntax error: the '\[' opened here has no '\]' \(noticed at line 7, column 1: /,
    ],
    [
      'an unclosed { in a mapping',
      'version: 1\nhandlers:\n  console: {class: console, level: INFO\n  file:\n    class: file\n',
      [3, 12],
      /^YAML syntax error: the '\{' opened here has no '\}' \(noticed at line 4, column 3: Flow map /,
    ],
    [
      'the inner one of nested unclosed brackets',
      'version: 1\nroot:\n  handlers: [a, [b, c\nloggers: {}\n',
      [3, 17],
      /the '\[' opened here has no '\]' \(noticed at line 4, column 1/,
    ],
    [
      'the outer bracket when the inner one is closed',
      'version: 1\nroot:\n  handlers: [a, [b], c\nloggers: {}\n',
      [3, 13],
      /the '\[' opened here has no '\]' \(noticed at line 4, column 1/,
    ],
    [
      'an unclosed double quote',
      'version: 1\nroot:\n  level: "INFO\n  handlers: [console]\nloggers: {}\n',
      [3, 10],
      /^YAML syntax error: the " opened here is not closed \(noticed at line 6, column 1: Missing closing "quote\)$/,
    ],
    [
      'a double quote whose closing quote is escaped',
      'version: 1\nroot:\n  level: "INFO\\"\n  handlers: [console]\n',
      [3, 10],
      /the " opened here is not closed \(noticed at line 5, column 1/,
    ],
    [
      "an unclosed single quote after an escaped one ('')",
      "version: 1\nroot:\n  level: 'it''s\n  handlers: [console]\n",
      [3, 10],
      /the ' opened here is not closed \(noticed at line 5, column 1: Missing closing 'quote\)$/,
    ],
    [
      'an unclosed [ on the last line, without a newline',
      'version: 1\nroot:\n  handlers: [console',
      [3, 13],
      /the '\[' opened here has no '\]' \(noticed at line 3, column 21: /,
    ],
  ];
  for (const [name, text, [line, column], detail] of cases) {
    test(name, () => {
      const err = syntaxError(text);
      assert.deepEqual([err.line, err.column], [line, column], err.message);
      assert.equal(err.keyPath, '');
      assert.match(err.detail, detail);
      assert.ok(err.message.startsWith(`bad.yaml:${line}:${column}: YAML syntax error: `), err.message);
    });
  }

  test('an error with no open construct before it stays where the parser found it', () => {
    const err = syntaxError('version: 1\nroot:\n  level: INFO\n handlers: [console]\n');
    assert.deepEqual([err.line, err.column], [4, 1]);
    assert.equal(err.detail, 'YAML syntax error: All mapping items must start at the same column');
  });

  test('closed brackets and quotes over several lines are not errors', () => {
    const config = parseConfig(
      'version: 1\nhandlers:\n  console: {class: console,\n    level: INFO}\nroot:\n  level: "INFO"\n  handlers: [\n    console]\n',
      { source: 'ok.yaml', baseDir: '/base', env: {} },
    );
    assert.deepEqual(config.root.handlers, ['console']);
    assert.equal(config.root.level, 'INFO');
  });
});
