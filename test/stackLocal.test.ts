// scripts/stack-up.sh and scripts/stack-down.sh: the local stack (collector, Jaeger, Prometheus,
// Alertmanager, the example webhook receiver) comes up on the loopback ports it is given, is wired together
// (Prometheus scrapes the collector and knows Alertmanager; an alert reaches the receiver's log; a span
// sent to the collector is found in Jaeger's query API), refuses to start twice or on a busy port, and
// stack-down stops exactly the recorded PIDs.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { METRICS, prometheusName } from '@grpo-otel/semconv';
import { collectorBinary } from '@grpo-otel/testkit/collector';
import { jaegerBinary } from '@grpo-otel/testkit/jaeger';
import { pidAlive } from '@grpo-otel/testkit/pidAlive';
import { freePort } from '@grpo-otel/testkit/ports';
import { repoRoot } from '@grpo-otel/testkit/repoRoot';
import { isLoopback, listeningAddresses } from '@grpo-otel/testkit/sockets';
import { tempDirUntilExit } from '@grpo-otel/testkit/tempDir';
import { waitFor } from '@grpo-otel/testkit/waitFor';

interface ScriptResult {
  code: number | null;
  out: string;
}

function script(name: string, env: Record<string, string>, args: string[] = []): Promise<ScriptResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [join(repoRoot, 'scripts', name), ...args], {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      out += c;
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      out += c;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

async function stackEnv(dir: string): Promise<Record<string, string>> {
  const ports = new Set<number>();
  while (ports.size < 12) ports.add(await freePort());
  const [http, grpc, exporter, health, metrics, prom, am, hook, jq, jo, jg, jh] = [...ports].map(String);
  return {
    GRPO_STACK_DIR: dir,
    GRPO_STACK_OTLP_HTTP_PORT: http!,
    GRPO_STACK_OTLP_GRPC_PORT: grpc!,
    GRPO_STACK_EXPORTER_PORT: exporter!,
    GRPO_STACK_HEALTH_PORT: health!,
    GRPO_STACK_COLLECTOR_METRICS_PORT: metrics!,
    GRPO_STACK_PROMETHEUS_PORT: prom!,
    GRPO_STACK_ALERTMANAGER_PORT: am!,
    GRPO_STACK_WEBHOOK_PORT: hook!,
    GRPO_STACK_JAEGER_QUERY_PORT: jq!,
    GRPO_STACK_JAEGER_OTLP_PORT: jo!,
    GRPO_STACK_JAEGER_GRPC_PORT: jg!,
    GRPO_STACK_JAEGER_HEALTH_PORT: jh!,
    GRPO_STACK_RULES: 'fast',
    GRPO_OTELCOL_BIN: await collectorBinary(),
    GRPO_JAEGER_BIN: await jaegerBinary(),
  };
}

async function recordedPids(dir: string): Promise<Map<string, number>> {
  const pids = new Map<string, number>();
  const pidDir = join(dir, 'pids');
  if (!existsSync(pidDir)) return pids;
  for (const f of await readdir(pidDir)) {
    if (f.endsWith('.pid'))
      pids.set(f.slice(0, -4), Number((await readFile(join(pidDir, f), 'utf8')).trim()));
  }
  return pids;
}

/** An OTLP/JSON gauge for a run, as the SDK would send it. */
function gauge(name: string, value: number, runId: string, attributes: Record<string, string> = {}) {
  const kv = (o: Record<string, string>) =>
    Object.entries(o).map(([key, v]) => ({ key, value: { stringValue: v } }));
  return {
    resourceMetrics: [
      {
        resource: { attributes: kv({ 'service.name': 'grpo-stack-test', 'grpo.run.id': runId }) },
        scopeMetrics: [
          {
            scope: { name: '@grpo-otel/sdk' },
            metrics: [
              {
                name,
                gauge: {
                  dataPoints: [
                    {
                      asDouble: value,
                      timeUnixNano: String(BigInt(Date.now()) * 1_000_000n),
                      attributes: kv(attributes),
                    },
                  ],
                },
              },
            ],
          },
        ],
      },
    ],
  };
}

describe('scripts/stack-up.sh and stack-down.sh', { timeout: 10 * 60_000 }, () => {
  let dir: string;
  let env: Record<string, string>;
  let pids: Map<string, number>;

  before(async () => {
    dir = await tempDirUntilExit('grpo-stack-');
    env = await stackEnv(dir);
    const up = await script('stack-up.sh', env);
    assert.equal(up.code, 0, up.out);
    pids = await recordedPids(dir);
  });

  after(async () => {
    // Whatever the tests did, nothing is left running.
    await script('stack-down.sh', env);
  });

  test('five processes run under the recorded PIDs and answer on their loopback ports', async () => {
    assert.deepEqual([...pids.keys()].sort(), [
      'alert-webhook',
      'alertmanager',
      'collector',
      'jaeger',
      'prometheus',
    ]);
    for (const [name, pid] of pids) assert.ok(pidAlive(pid), `${name} pid ${pid}`);
    for (const url of [
      `http://127.0.0.1:${env.GRPO_STACK_HEALTH_PORT}/`,
      `http://127.0.0.1:${env.GRPO_STACK_PROMETHEUS_PORT}/-/ready`,
      `http://127.0.0.1:${env.GRPO_STACK_ALERTMANAGER_PORT}/-/ready`,
      `http://127.0.0.1:${env.GRPO_STACK_WEBHOOK_PORT}/`,
      `http://127.0.0.1:${env.GRPO_STACK_JAEGER_HEALTH_PORT}/status`,
      `http://127.0.0.1:${env.GRPO_STACK_JAEGER_QUERY_PORT}/api/services`,
    ]) {
      const res = await fetch(url);
      assert.equal(res.status, 200, url);
      await res.body?.cancel();
    }
  });

  test('every process listens on 127.0.0.1 only, on the ports it was given', () => {
    const given = new Set(
      Object.entries(env)
        .filter(([k]) => k.endsWith('_PORT'))
        .map(([, v]) => Number(v)),
    );
    for (const [name, pid] of pids) {
      const addresses = listeningAddresses(pid);
      assert.ok(addresses.length > 0, `${name} listens`);
      for (const a of addresses) {
        assert.ok(isLoopback(a), `${name} listens on ${a}`);
        assert.ok(
          given.has(Number(a.slice(a.lastIndexOf(':') + 1))),
          `${name}: ${a} is not a port it was given`,
        );
      }
    }
  });

  test('running stack-up again only reports the running stack', async () => {
    const again = await script('stack-up.sh', env);
    assert.equal(again.code, 0, again.out);
    assert.match(again.out, /already running/);
    assert.deepEqual(await recordedPids(dir), pids);
  });

  test('Prometheus scrapes the collector, loads the rules and knows Alertmanager', async () => {
    const prom = `http://127.0.0.1:${env.GRPO_STACK_PROMETHEUS_PORT}`;
    const api = async <T>(path: string) =>
      ((await (await fetch(`${prom}${path}`)).json()) as { data: T }).data;
    await waitFor(
      async () => {
        const t = await api<{ activeTargets: Array<{ health: string }> }>('/api/v1/targets');
        return t.activeTargets.length === 2 && t.activeTargets.every((x) => x.health === 'up')
          ? true
          : undefined;
      },
      30_000,
      'both scrape targets up',
      250,
    );
    const ams = await api<{ activeAlertmanagers: Array<{ url: string }> }>('/api/v1/alertmanagers');
    assert.ok(
      ams.activeAlertmanagers.some((a) => a.url.includes(`127.0.0.1:${env.GRPO_STACK_ALERTMANAGER_PORT}`)),
    );
    const rules = await api<{ groups: Array<{ rules: Array<{ name: string }> }> }>('/api/v1/rules');
    const names = rules.groups.flatMap((g) => g.rules.map((r) => r.name));
    assert.ok(names.includes('GRPORewardPlateau') && names.includes('run:grpo_reward_mean:smoothed'));
  });

  test('an alert raised from OTLP data reaches the example webhook receiver', async () => {
    const otlp = `http://127.0.0.1:${env.GRPO_STACK_OTLP_HTTP_PORT}/v1/metrics`;
    const res = await fetch(otlp, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      // Entropy far below the threshold: GRPOEntropyCollapse (critical) after the fast windows.
      body: JSON.stringify(gauge(METRICS.policyEntropy.name, 0.001, 'stack-test')),
    });
    assert.equal(res.status, 200, await res.text());
    const prom = `http://127.0.0.1:${env.GRPO_STACK_PROMETHEUS_PORT}`;
    await waitFor(
      async () => {
        const q = new URLSearchParams({
          query: `${prometheusName(METRICS.policyEntropy)}{grpo_run_id="stack-test"}`,
        });
        const r = (await (await fetch(`${prom}/api/v1/query?${q}`)).json()) as {
          data: { result: unknown[] };
        };
        return r.data.result.length > 0 ? true : undefined;
      },
      30_000,
      'the entropy series in Prometheus',
      250,
    );
    const logPath = join(dir, 'logs', 'alert-webhook.log');
    const line = await waitFor(
      async () => {
        const text = existsSync(logPath) ? await readFile(logPath, 'utf8') : '';
        return text
          .split('\n')
          .find((l) => l.includes('GRPOEntropyCollapse') && l.includes('run=stack-test'));
      },
      60_000,
      'GRPOEntropyCollapse in the webhook receiver log',
      250,
    );
    assert.match(line, /^\[grpo-critical\] firing GRPOEntropyCollapse run=stack-test /);
  });

  test("a span sent to the collector is found through Jaeger's query API", async () => {
    const traceId = '5b8efff798038103d269b633813fc60c';
    const now = BigInt(Date.now()) * 1_000_000n;
    const res = await fetch(`http://127.0.0.1:${env.GRPO_STACK_OTLP_HTTP_PORT}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        resourceSpans: [
          {
            resource: { attributes: [{ key: 'service.name', value: { stringValue: 'grpo-stack-test' } }] },
            scopeSpans: [
              {
                scope: { name: '@grpo-otel/sdk' },
                spans: [
                  {
                    traceId,
                    spanId: 'eee19b7ec3c1b174',
                    name: 'grpo.validation',
                    kind: 1,
                    startTimeUnixNano: String(now - 5_000_000n),
                    endTimeUnixNano: String(now),
                  },
                ],
              },
            ],
          },
        ],
      }),
    });
    assert.equal(res.status, 200, await res.text());
    const q = new URLSearchParams({ service: 'grpo-stack-test' });
    const jaeger = `http://127.0.0.1:${env.GRPO_STACK_JAEGER_QUERY_PORT}`;
    const trace = await waitFor(
      async () => {
        const r = (await (await fetch(`${jaeger}/api/traces?${q}`)).json()) as {
          data: Array<{ traceID: string; spans: Array<{ operationName: string }> }> | null;
        };
        return r.data?.find((t) => t.traceID === traceId);
      },
      30_000,
      'the span in Jaeger',
      250,
    );
    assert.deepEqual(
      trace.spans.map((s) => s.operationName),
      ['grpo.validation'],
    );
  });

  test('stack-down stops every recorded PID and is idempotent', async () => {
    const down = await script('stack-down.sh', env);
    assert.equal(down.code, 0, down.out);
    for (const [name, pid] of pids) assert.ok(!pidAlive(pid), `${name} pid ${pid} still alive`);
    assert.equal((await recordedPids(dir)).size, 0);
    const again = await script('stack-down.sh', env);
    assert.equal(again.code, 0, again.out);
    assert.match(again.out, /nothing was running/);
  });

  test('stack-up refuses a busy port and leaves nothing running', async () => {
    const busyDir = await tempDirUntilExit('grpo-stack-busy-');
    const busyEnv = await stackEnv(busyDir);
    const server = createServer();
    const port = Number(busyEnv.GRPO_STACK_PROMETHEUS_PORT);
    await new Promise<void>((r) => server.listen({ host: '127.0.0.1', port }, r));
    try {
      const up = await script('stack-up.sh', busyEnv);
      assert.notEqual(up.code, 0);
      assert.match(up.out, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is in use`));
      assert.equal((await recordedPids(busyDir)).size, 0);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
