// `limits.redact`: a secret pattern in prompts, completions, reasoning, log messages and string
// attributes is replaced by [REDACTED] before the record leaves the process: checked on the OTLP wire
// (the real collector's file export) and in every file sink (console, rotating log, CSV, TensorBoard).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type RunningCollector, startCollector } from '@grpo-otel/testkit/collector';
import { tempDirs } from '@grpo-otel/testkit/exitCleanup';
import { anyValue, attributesToObject, exportedLogRecords } from '@grpo-otel/testkit/otlpJson';
import { waitFor } from '@grpo-otel/testkit/waitFor';
import {
  allSinksConfig,
  filesContaining,
  filesUnder,
  runSecretsChild,
  type SecretsRunResult,
} from './helpers/secretsRun.js';

const root = mkdtempSync(join(tmpdir(), 'grpo-redact-'));
tempDirs.add(root);
// Looks like an API key; the pattern below matches it, and an e-mail address.
const SECRET = 'sk-live-4f9b2c7d8e1a3b5c6d7e8f90';
const EMAIL = 'alice.smith@example.org';
let collector: RunningCollector;
let result: SecretsRunResult;

before(async () => {
  collector = await startCollector();
  const yaml = allSinksConfig(
    'redaction-run',
    [`endpoint: ${collector.otlpHttpEndpoint}`, 'logs: true', 'export_interval: 600'],
    ['redact: ["sk-live-[0-9a-f]{24}", "[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\\\.[A-Za-z]{2,}"]'],
  );
  result = await runSecretsChild(join(root, 'run'), yaml, `key=${SECRET} mail=${EMAIL}`, {});
  assert.equal(result.code, 0, result.stderr.slice(-4000));
  await waitFor(
    async () => {
      const logs = exportedLogRecords(await collector.readExported());
      return logs.some((l) => l.scope.name === 'model_outputs') ? true : undefined;
    },
    30_000,
    'the model output record at the collector',
  );
});
after(async () => {
  await collector?.stop();
});

describe('limits.redact', { timeout: 5 * 60_000 }, () => {
  test('the secrets are in no file sink, not on the console, not at the collector', () => {
    const files = [...filesUnder(result.dir), ...collector.exportPaths.filter((f) => existsSync(f))];
    for (const secret of [SECRET, EMAIL]) {
      assert.deepEqual(filesContaining(files, secret), [], secret);
      assert.ok(!result.stdout.includes(secret), 'console (stdout)');
      assert.ok(!result.stderr.includes(secret), 'diag (stderr)');
    }
  });

  test('every sink got the record, with [REDACTED] in place of the secrets', () => {
    const sinks = [
      join(result.dir, 'logs', 'train.log'),
      join(result.dir, 'outputs', 'model_outputs.csv'),
      ...filesUnder(join(result.dir, 'tb')).filter((f) => f.includes('tfevents')),
      collector.exportPath,
    ];
    assert.ok(sinks.length >= 4, sinks.join(', '));
    // TensorBoard's text plugin renders markdown, so the writer escapes the brackets there.
    for (const f of sinks) assert.match(readFileSync(f, 'latin1'), /\\?\[REDACTED\\?\]/, f);
    assert.ok(result.stdout.includes('[REDACTED]'), 'console');
  });

  test('on the OTLP wire: prompt, completion, reasoning and message are redacted, the rest kept', async () => {
    const logs = exportedLogRecords(await collector.readExported());
    const out = logs.find((l) => l.scope.name === 'model_outputs');
    assert.ok(out);
    const a = attributesToObject(out.item.attributes);
    assert.equal(a['grpo.sample.question'], 'What is 2+2? key=[REDACTED] mail=[REDACTED]');
    assert.equal(
      a['grpo.sample.completion'],
      '<reasoning>I saw key=[REDACTED] mail=[REDACTED]</reasoning><answer>4</answer>',
    );
    assert.equal(a['grpo.sample.reasoning'], 'I saw key=[REDACTED] mail=[REDACTED]');
    assert.equal(a['grpo.sample.answer'], '4');
    const note = logs.find((l) => String(anyValue(l.item.body)).startsWith('note:'));
    assert.ok(note);
    assert.equal(anyValue(note.item.body), 'note: key=[REDACTED] mail=[REDACTED]');
    assert.equal(attributesToObject(note.item.attributes).detail, 'attr key=[REDACTED] mail=[REDACTED]');
  });

  test('the command line in the resource (process.command_args) is redacted too', async () => {
    const logs = exportedLogRecords(await collector.readExported());
    const args = attributesToObject(logs[0]?.resource.attributes)['process.command_args'];
    assert.ok(Array.isArray(args), JSON.stringify(args));
    // The child got the secret text as its last argument.
    assert.equal(args[args.length - 1], 'key=[REDACTED] mail=[REDACTED]');
  });

  test('the CSV rows hold the redacted prompt and completion', () => {
    const csv = readFileSync(join(result.dir, 'outputs', 'model_outputs.csv'), 'utf8');
    assert.match(csv, /What is 2\+2\? key=\[REDACTED\] mail=\[REDACTED\]/);
    assert.match(csv, /<reasoning>I saw key=\[REDACTED\] mail=\[REDACTED\]<\/reasoning>/);
  });

  test('redactions are counted', () => {
    assert.ok((result.summary.sanitized.redacted ?? 0) >= 5, JSON.stringify(result.summary.sanitized));
  });
});
