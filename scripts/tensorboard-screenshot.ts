// Regenerates docs/images/tensorboard-rewards.png: the real TensorBoard (Python, from the venv of
// scripts/setup-python.sh) showing a demo run's reward curves, photographed by Debian's headless
// Chromium.
//
//   npm run docs:screenshot                 # runs the default demo into a temp folder first (~75 s)
//   npm run docs:screenshot -- runs/<id>    # reuses a run folder (or any TensorBoard log dir)
//   npm run docs:screenshot -- runs/<id> --out /tmp/shot.png
//
// TensorBoard binds 127.0.0.1 on a free port and is stopped by its PID. Chromium is driven over the
// DevTools protocol on a pipe (--remote-debugging-pipe: NUL-separated JSON on fds 3 and 4, no
// WebSocket, no extra dependency): it opens the scalars dashboard filtered to the reward tags, waits
// until every matching chart has drawn its lines, and captures the page.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { main as cli } from '@grpo-otel/cli';
import { CHROMIUM, CHROMIUM_ARGS } from '@grpo-otel/testkit/chromium';
import { repoRoot } from '@grpo-otel/testkit/repoRoot';
import { startTensorBoard } from '@grpo-otel/testkit/tensorboard';

/** The tags shown: each reward function's batch mean and its moving average, and the total. */
export const REWARD_TAG_FILTER = '^grpo\\.reward\\.(mean|moving_average)/[^/]+$';
// Four charts a row: the ten reward charts fit in three rows.
const WIDTH = 1800;
const HEIGHT = 1080;

const log = (line: string) => process.stderr.write(`[tensorboard-screenshot] ${line}\n`);

/** A minimal DevTools protocol client over Chromium's --remote-debugging-pipe. */
class PipeSession {
  private nextId = 1;
  private buffer = '';
  private readonly pending = new Map<
    number,
    { resolve: (v: Record<string, unknown>) => void; reject: (e: Error) => void }
  >();

  constructor(
    private readonly input: Writable,
    output: Readable,
  ) {
    input.on('error', (err: Error) => this.failAll(err));
    output.setEncoding('utf8');
    output.on('data', (chunk: string) => {
      this.buffer += chunk;
      for (let end = this.buffer.indexOf('\0'); end >= 0; end = this.buffer.indexOf('\0')) {
        const message = JSON.parse(this.buffer.slice(0, end)) as {
          id?: number;
          result?: Record<string, unknown>;
          error?: { message: string };
        };
        this.buffer = this.buffer.slice(end + 1);
        const waiter = message.id === undefined ? undefined : this.pending.get(message.id);
        if (!waiter) continue;
        this.pending.delete(message.id!);
        if (message.error) waiter.reject(new Error(message.error.message));
        else waiter.resolve(message.result ?? {});
      }
    });
  }

  /** Fails every call still waiting (Chromium went away). */
  failAll(error: Error): void {
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }

  send<T = Record<string, unknown>>(
    method: string,
    params: Record<string, unknown> = {},
    sessionId?: string,
  ): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolvePromise, reject) => {
      this.pending.set(id, { resolve: (v) => resolvePromise(v as T), reject });
      this.input.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    });
  }
}

/** Runs in the page: how many charts match the filter and how many have drawn a line with points. */
const CHART_STATE = `(() => {
  const deep = (root, selector, out = []) => {
    for (const el of root.querySelectorAll('*')) {
      if (el.matches(selector)) out.push(el);
      if (el.shadowRoot) deep(el.shadowRoot, selector, out);
    }
    return out;
  };
  const cards = deep(document, 'tf-scalar-card');
  const lines = deep(document, 'path.line').filter((p) => (p.getAttribute('d') || '').length > 200);
  return JSON.stringify({ cards: cards.length, lines: lines.length });
})()`;

async function screenshot(url: string, expectedCharts: number, out: string): Promise<void> {
  const profile = mkdtempSync(join(tmpdir(), 'grpo-chromium-'));
  const chromium: ChildProcess = spawn(
    CHROMIUM,
    [
      ...CHROMIUM_ARGS,
      '--hide-scrollbars',
      `--user-data-dir=${profile}`,
      '--remote-debugging-pipe',
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] },
  );
  let stderr = '';
  chromium.stderr!.setEncoding('utf8').on('data', (c: string) => {
    stderr = (stderr + c).slice(-8000);
  });
  const exited = new Promise<void>((r) => chromium.on('close', () => r()));
  try {
    const cdp = new PipeSession(chromium.stdio[3] as Writable, chromium.stdio[4] as Readable);
    chromium.on('close', (code, signal) => cdp.failAll(new Error(`chromium exited (${code ?? signal})`)));
    const { targetId } = await cdp.send<{ targetId: string }>('Target.createTarget', { url: 'about:blank' });
    const { sessionId } = await cdp.send<{ sessionId: string }>('Target.attachToTarget', {
      targetId,
      flatten: true,
    });
    await cdp.send(
      'Emulation.setDeviceMetricsOverride',
      { width: WIDTH, height: HEIGHT, deviceScaleFactor: 1, mobile: false },
      sessionId,
    );
    await cdp.send('Page.enable', {}, sessionId);
    // The dashboard keeps this option in localStorage (not in the URL): draw every point, outliers too.
    await cdp.send(
      'Page.addScriptToEvaluateOnNewDocument',
      { source: "localStorage.setItem('_ignoreYOutliers', 'false');" },
      sessionId,
    );
    await cdp.send('Page.navigate', { url }, sessionId);
    const deadline = Date.now() + 90_000;
    let state = { cards: 0, lines: 0 };
    for (;;) {
      const r = await cdp.send<{ result: { value?: string } }>(
        'Runtime.evaluate',
        { expression: CHART_STATE, returnByValue: true },
        sessionId,
      );
      state = JSON.parse(r.result.value ?? '{"cards":0,"lines":0}');
      if (state.cards >= expectedCharts && state.lines >= expectedCharts) break;
      if (Date.now() > deadline) {
        throw new Error(
          `TensorBoard did not draw ${expectedCharts} reward charts within 90 s (${JSON.stringify(state)})`,
        );
      }
      await sleep(500);
    }
    // Let the last transitions (axes, legends) settle.
    await sleep(1500);
    log(`${state.cards} charts, ${state.lines} lines drawn; capturing`);
    const shot = await cdp.send<{ data: string }>(
      'Page.captureScreenshot',
      { format: 'png', captureBeyondViewport: false },
      sessionId,
    );
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, Buffer.from(shot.data, 'base64'));
    await cdp.send('Browser.close').catch(() => undefined);
  } catch (err) {
    throw new Error(`${(err as Error).message}\nchromium stderr:\n${stderr}`);
  } finally {
    const closed = await Promise.race([exited.then(() => true), sleep(5000, false)]);
    if (!closed) {
      chromium.kill('SIGKILL');
      await exited;
    }
    rmSync(profile, { recursive: true, force: true });
  }
}

/** The TensorBoard log dir of a run folder (`<run>/logs/tensorboard`), or the folder itself. */
function logDirOf(folder: string): string {
  const nested = join(folder, 'logs', 'tensorboard');
  return existsSync(nested) ? nested : folder;
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      out: { type: 'string', default: join(repoRoot, 'docs', 'images', 'tensorboard-rewards.png') },
    },
  });
  if (!existsSync(CHROMIUM)) {
    log(`${CHROMIUM} is missing: bash scripts/install-chromium.sh installs Debian's chromium`);
    return 2;
  }
  let folder = positionals[0] ? resolve(positionals[0]) : undefined;
  let temp: string | undefined;
  if (folder && !(existsSync(folder) && statSync(folder).isDirectory())) {
    log(`not a folder: ${folder}`);
    return 2;
  }
  if (!folder) {
    temp = mkdtempSync(join(tmpdir(), 'grpo-screenshot-'));
    folder = join(temp, 'run');
    log(`running the default demo into ${folder}`);
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OTEL_')));
    const code = await cli(['demo', '--out', folder], {
      out: (l: string) => log(l),
      err: (l: string) => log(l),
      cwd: temp,
      env,
    });
    if (code !== 0) {
      log(`the demo failed (exit ${code})`);
      return 1;
    }
  }
  const tensorboard = await startTensorBoard({ logDir: logDirOf(folder), loadFast: false });
  try {
    log(`TensorBoard (pid ${tensorboard.pid}) at ${tensorboard.url}`);
    const tags = await tensorboard.get<Record<string, Record<string, unknown>>>('/data/plugin/scalars/tags');
    const shown = new Set<string>();
    for (const forRun of Object.values(tags))
      for (const tag of Object.keys(forRun)) if (new RegExp(REWARD_TAG_FILTER).test(tag)) shown.add(tag);
    if (shown.size === 0) {
      log(`no scalar tag matches ${REWARD_TAG_FILTER} in ${logDirOf(folder)}`);
      return 1;
    }
    log(`${shown.size} reward tags: ${[...shown].sort().join(', ')}`);
    const url =
      `${tensorboard.url}/?darkMode=false#scalars` +
      `&tagFilter=${encodeURIComponent(REWARD_TAG_FILTER)}&_smoothingWeight=0`;
    await screenshot(url, shown.size, values.out!);
    log(`wrote ${values.out}`);
    return 0;
  } finally {
    await tensorboard.stop();
    if (temp) rmSync(temp, { recursive: true, force: true });
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    log(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exitCode = 1;
  },
);
