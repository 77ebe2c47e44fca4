// Runs packages/sdk/test/fixtures/childSecrets.ts in a child process with a config that has every file
// sink (console, rotating file, CSV, TensorBoard) plus OTLP, and scans what came out for a string.
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '@grpo-otel/testkit/repoRoot';

const child = fileURLToPath(new URL('../../packages/sdk/test/fixtures/childSecrets.ts', import.meta.url));

export interface SecretsRunResult {
  dir: string;
  code: number | null;
  stdout: string;
  stderr: string;
  /** The child's last stdout line: its run id, drop counts and sanitize counts. */
  summary: {
    runId: string;
    drops: { signal: string; reason: string; where: string; count: number }[];
    sanitized: Record<string, number>;
  };
}

/**
 * An SDK config for `dir` with every sink: console (stdout, JSON with attributes), a rotating log
 * file (JSON with attributes), a CSV of model outputs with the prompt and completion columns, and
 * TensorBoard; all channels go to all of them. `otlp` lines are put under `otlp:` as written.
 */
export function allSinksConfig(runId: string, otlp: string[], limits: string[] = []): string {
  return [
    'version: 1',
    'root: { level: INFO, handlers: [console, file, csv, tb] }',
    'handlers:',
    '  console: { class: logging.StreamHandler, stream: ext://sys.stdout, formatter: json, flush_interval: 0.1 }',
    '  file: { class: logging.handlers.RotatingFileHandler, filename: logs/train.log, formatter: json }',
    '  csv:',
    '    class: logging.custom.CSVHandler',
    '    filename: outputs/model_outputs.csv',
    '    columns: [timestamp, name, message, grpo.sample.question, grpo.sample.completion, grpo.sample.reasoning, detail]',
    '  tb: { class: logging.custom.TensorBoardHandler, log_dir: tb }',
    'formatters:',
    '  json: { format: json, fields: [timestamp, level, name, message, attributes] }',
    'resource:',
    `  run_id: ${runId}`,
    'metrics: { logging_frequency: 1, full_metrics_frequency: 1 }',
    ...(otlp.length ? ['otlp:', ...otlp.map((l) => `  ${l}`)] : []),
    ...(limits.length ? ['limits:', ...limits.map((l) => `  ${l}`)] : []),
    '',
  ].join('\n');
}

/** Writes `yaml` to <dir>/grpo.yaml and runs the child there with `env` added to this process's. */
export function runSecretsChild(
  dir: string,
  yaml: string,
  secretText: string,
  env: Record<string, string>,
): Promise<SecretsRunResult> {
  mkdirSync(dir, { recursive: true });
  const config = join(dir, 'grpo.yaml');
  // The child prints the instance's sanitize counts (t.sanitized): it runs the pipeline on its thread.
  writeFileSync(config, `${yaml}\ntelemetry_thread: { enabled: false }\n`);
  return new Promise((resolve, reject) => {
    const p = spawn(
      process.execPath,
      // tsx by its resolved URL: the child runs in `dir`, outside the workspace.
      ['--conditions=source', '--import', import.meta.resolve('tsx'), child, config, secretText],
      { cwd: dir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    p.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
    });
    p.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
    });
    p.on('error', reject);
    p.on('close', (code) => {
      const last = stdout.trim().split('\n').pop() ?? '';
      let summary: SecretsRunResult['summary'];
      try {
        summary = JSON.parse(last) as SecretsRunResult['summary'];
      } catch {
        reject(new Error(`child exited ${code} without a summary\nstdout: ${stdout}\nstderr: ${stderr}`));
        return;
      }
      resolve({ dir, code, stdout, stderr, summary });
    });
  });
}

/** Every regular file under `dir`, recursively. */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) out.push(...filesUnder(p));
    else if (st.isFile()) out.push(p);
  }
  return out;
}

/** The files (as `repo-relative or absolute path`) among `files` whose bytes contain `needle`. */
export function filesContaining(files: string[], needle: string): string[] {
  const bytes = Buffer.from(needle, 'utf8');
  return files
    .filter((f) => readFileSync(f).includes(bytes))
    .map((f) => (f.startsWith(repoRoot) ? f.slice(repoRoot.length) : f));
}
