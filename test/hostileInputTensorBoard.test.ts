// HTML and markdown injection into TensorBoard's text plugin, through the SDK's public API: log
// messages, attributes (keys and values), model outputs and hyperparameters carrying <script>,
// <img onerror>, javascript: links, raw HTML and markdown. Every text our event files hold is rendered
// by TensorBoard's own `markdown_to_safe_html` (tensorboard.plugin_util: Python-Markdown, then its HTML
// sanitizer), and one focused case goes through the real TensorBoard's text plugin over HTTP. Nothing
// executable may survive, and the payloads must show as literal text (escaped, not silently removed).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { readEvents } from '@grpo-otel/exporter-tensorboard';
import {
  getLogger,
  initialize,
  logHparams,
  logModelOutput,
  logTrainingProgress,
  shutdown,
} from '@grpo-otel/sdk';
import { pythonBinary } from '@grpo-otel/testkit/python';
import { startTensorBoard } from '@grpo-otel/testkit/tensorboard';

const PAYLOADS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<svg onload=alert(1)>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<a href="javascript:alert(1)">click</a>',
  '[click](javascript:alert(1))',
  '![img](x" onerror="alert(1))',
  '<javascript:alert(1)>',
  '[ref]: javascript:alert(1)\n[x][ref]',
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  '<div style="background:url(javascript:alert(1))">x</div>',
  '```\n<script>alert(1)</script>\n```',
  '<scr<script>ipt>alert(1)</script>',
  '<<script>script>alert(1)<</script>/script>',
];

/** TensorBoard's own markdown rendering of each text (what its text plugin serves). */
function renderWithTensorBoard(texts: string[]): string[] {
  const script = [
    'import json, sys',
    'from tensorboard.plugin_util import markdown_to_safe_html',
    'texts = json.load(sys.stdin)',
    'sys.stdout.write(json.dumps([markdown_to_safe_html(t) for t in texts]))',
  ].join('\n');
  const r = spawnSync(pythonBinary(), ['-c', script], {
    input: JSON.stringify(texts),
    encoding: 'utf8',
    maxBuffer: 256 << 20,
    timeout: 120_000,
  });
  if (r.status !== 0) throw new Error(`markdown_to_safe_html failed:\n${r.stderr}`);
  return JSON.parse(r.stdout) as string[];
}

/** Asserts that rendered HTML holds nothing a browser would run or load. */
function assertInert(html: string, where: string): void {
  const tags = html.match(/<[^>]*>/g) ?? [];
  for (const tag of tags) {
    assert.doesNotMatch(
      tag,
      /^<\/?(script|img|svg|iframe|a|div|object|embed|style|link|meta)\b/i,
      `${where}: tag ${tag}`,
    );
    assert.doesNotMatch(tag, /\son\w+\s*=/i, `${where}: event handler in ${tag}`);
    assert.doesNotMatch(tag, /javascript:/i, `${where}: javascript: URL in ${tag}`);
    assert.doesNotMatch(tag, /\s(src|href|style)\s*=/i, `${where}: attribute in ${tag}`);
  }
}

const dir = mkdtempSync(join(tmpdir(), 'grpo-hostile-tb-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function writeRun(): Promise<{ runDir: string; runId: string }> {
  const f = join(dir, 'config.yaml');
  writeFileSync(
    f,
    `version: 1
root: { level: INFO, handlers: [tb] }
handlers:
  tb: { class: tensorboard, log_dir: ${join(dir, 'tb')} }
`,
  );
  initialize({ configPath: f, handleExit: false, registerGlobal: false });
  logHparams({ note: PAYLOADS[0]!, link: PAYLOADS[5]! });
  logTrainingProgress(1, { loss: 0.5 });
  const log = getLogger('training');
  for (const p of PAYLOADS) {
    log.info(p, { [p]: p, 'grpo.step': 1 });
    log.warning(`prefix ${p} suffix`, { html: [p, p] });
    logModelOutput(p, p, `<reasoning>${p}</reasoning><answer>${p}</answer>`, p, { step: 1 });
  }
  logTrainingProgress(2, { loss: 0.4 });
  await shutdown();
  // The run's one folder, named by its run id.
  const [runId] = readdirSync(join(dir, 'tb'));
  assert.ok(runId, 'a TensorBoard run');
  return { runDir: join(dir, 'tb', runId), runId };
}

let written: Promise<{ runDir: string; runId: string }> | undefined;
const run = () => {
  written ??= writeRun();
  return written;
};

test("every stored text renders inert through TensorBoard's markdown_to_safe_html, payloads shown literally", async () => {
  const { runDir } = await run();
  const texts: { tag: string; text: string }[] = [];
  for (const f of await readEvents(runDir)) {
    assert.deepEqual(f.issues, []);
    for (const e of f.events)
      for (const v of e.values) if (v.kind === 'text') texts.push({ tag: v.tag, text: v.text });
  }
  const tags = new Set(texts.map((t) => t.tag));
  assert.ok(tags.has('logs/training') && tags.has('logs/model_outputs'), [...tags].join(', '));
  const html = renderWithTensorBoard(texts.map((t) => t.text));
  for (const [i, h] of html.entries()) assertInert(h, texts[i]!.tag);
  const all = html.join('\n');
  // The payloads are displayed as text, not dropped: the script tag appears escaped.
  assert.ok(all.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), 'the script payload shows as text');
  assert.ok(all.includes('&lt;img src=x onerror=alert(1)&gt;'), 'the img payload shows as text');
  assert.ok(all.includes('[click](javascript:alert(1))'), 'the markdown link shows as text');
  // Already-escaped input stays as the user wrote it (its & is escaped again).
  assert.ok(all.includes('&amp;lt;script&amp;gt;'), 'entities are not decoded into tags');
});

test('the real TensorBoard (text plugin over HTTP) serves the log texts inert', async (t) => {
  const { runDir, runId } = await run();
  const tb = await startTensorBoard({ logDir: join(runDir, '..'), loadFast: false });
  t.after(() => tb.stop());
  await tb.waitForRun(runId, { plugin: 'text', tag: 'logs/training' });
  const got = await tb.getWhen<{ step: number; text: string }[]>(
    `/data/plugin/text/text?run=${encodeURIComponent(runId)}&tag=${encodeURIComponent('logs/training')}`,
    (g) => g.some((x) => x.text.includes('&lt;script&gt;alert(1)&lt;/script&gt;')),
  );
  assert.ok(got.length > 0);
  for (const g of got) assertInert(g.text, `logs/training step ${g.step}`);
  const all = got.map((g) => g.text).join('\n');
  assert.ok(all.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), all.slice(0, 2000));
});
