import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { compileStrftime, strftime } from '../src/logging/formatters/strftime.js';

// Reference outputs come from Python (scripts/gen-strftime-fixtures.py): time.strftime, and
// datetime.strftime for %f, each under the TZ recorded with the group.
interface Group {
  tz: string;
  timeMs: number;
  utc: boolean;
  cases: Array<[format: string, expected: string]>;
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/strftime.json', import.meta.url), 'utf8')) as {
  groups: Group[];
};

const CHILD_ENV = 'GRPO_STRFTIME_FIXTURE_TZ';

interface Outcome {
  tz: string | undefined;
  checked: number;
  mismatches: string[];
}

function check(groups: Group[]): Outcome {
  const mismatches: string[] = [];
  let checked = 0;
  for (const g of groups) {
    for (const [format, expected] of g.cases) {
      checked++;
      const actual = compileStrftime(format, { utc: g.utc })(g.timeMs);
      if (actual !== expected) {
        mismatches.push(
          `TZ=${g.tz} t=${g.timeMs} utc=${g.utc} ${JSON.stringify(format)}: ` +
            `got ${JSON.stringify(actual)}, Python ${JSON.stringify(expected)}`,
        );
      }
    }
  }
  return { tz: process.env.TZ, checked, mismatches };
}

const childTz = process.env[CHILD_ENV];
if (childTz !== undefined) {
  // Child mode: this file was spawned with TZ set; report to the parent on stdout.
  process.stdout.write(JSON.stringify(check(fixture.groups.filter((g) => g.tz === childTz && !g.utc))));
} else {
  test('UTC-mode formats match Python (time.gmtime) in this process, whatever its TZ', () => {
    const outcome = check(fixture.groups.filter((g) => g.utc));
    assert.ok(outcome.checked > 1000, `only ${outcome.checked} cases`);
    assert.deepEqual(outcome.mismatches.slice(0, 30), []);
  });

  const zones = [...new Set(fixture.groups.filter((g) => !g.utc).map((g) => g.tz))];
  test('the fixture covers UTC and at least two other zones', () => {
    assert.ok(zones.includes('UTC'));
    assert.ok(zones.length >= 3, zones.join(', '));
  });

  for (const tz of zones) {
    test(`local-time formats match Python with TZ=${tz} (child process)`, () => {
      const env: NodeJS.ProcessEnv = { ...process.env, TZ: tz, [CHILD_ENV]: tz };
      delete env.NODE_TEST_CONTEXT;
      const res = spawnSync(
        process.execPath,
        ['--conditions=source', '--import', 'tsx', fileURLToPath(import.meta.url)],
        { env, encoding: 'utf8' },
      );
      assert.equal(res.status, 0, res.stderr);
      const outcome = JSON.parse(res.stdout) as Outcome;
      assert.equal(outcome.tz, tz);
      assert.ok(outcome.checked > 500, `only ${outcome.checked} cases`);
      assert.deepEqual(outcome.mismatches.slice(0, 30), []);
    });
  }

  test('strftime(format, date) formats a Date; unknown directives are copied like glibc', () => {
    const d = new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678));
    assert.equal(strftime('%Y-%m-%d %H:%M:%S', d, { utc: true }), '2024-01-02 03:04:05');
    assert.equal(strftime('%H:%M:%S.%f', d, { utc: true }), '03:04:05.678000');
    assert.equal(strftime('%q|%Q|100%', d, { utc: true }), '%q|%Q|100%');
    assert.equal(strftime('%Z %z', d, { utc: true }), 'GMT +0000');
  });

  test('an invalid date formats as the empty string instead of throwing', () => {
    assert.equal(strftime('%Y', new Date(Number.NaN)), '');
    assert.equal(compileStrftime('%Y-%m')(Number.POSITIVE_INFINITY), '');
    assert.equal(compileStrftime('%Y-%m')(9e15), '');
  });

  test('a format without directives compiles to a constant', () => {
    assert.equal(compileStrftime('plain')(0), 'plain');
    assert.equal(compileStrftime('')(0), '');
  });
}
