// deploy/kubernetes: the multi-node example (an otelcol-grpo agent per node, a gateway with grpo-otel sink behind it, a trainer Job).
// Every manifest parses; the objects refer to each other correctly (Service selectors and target ports,
// ConfigMaps and their keys, the PVC, the agent -> gateway address, the trainer -> node agent address,
// RANK/WORLD_SIZE of the Indexed Job); the collector configs embedded in the ConfigMaps validate with
// the real otelcol-grpo (`validate --config`, with the environment each container would get); and every
// object passes the Kubernetes OpenAPI schemas offline with the PyPI package kubernetes-validate
// (python/requirements.txt), strict about unknown fields.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { collectorBinary } from '@grpo-otel/testkit/collector';
import { runTool } from '@grpo-otel/testkit/prometheus';
import { pythonBinary } from '@grpo-otel/testkit/python';
import { repoRoot } from '@grpo-otel/testkit/repoRoot';
import { tempDirUntilExit } from '@grpo-otel/testkit/tempDir';
import { parseAllDocuments, parse as parseYaml } from 'yaml';

const K8S_DIR = join(repoRoot, 'deploy', 'kubernetes');
const NAMESPACE = 'grpo-otel';
/** The Kubernetes version whose schemas the manifests are checked against (kubernetes-validate 1.37.0). */
const K8S_VERSION = '1.34.0';

interface Obj {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  // biome-ignore lint/suspicious/noExplicitAny: manifests are checked field by field below
  spec?: any;
  data?: Record<string, string>;
}

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { fieldRef?: { fieldPath: string } };
}

interface Container {
  name: string;
  image: string;
  args?: string[];
  command?: string[];
  env?: EnvVar[];
  ports?: Array<{ name?: string; containerPort: number; hostPort?: number; protocol?: string }>;
  volumeMounts?: Array<{ name: string; mountPath: string }>;
}

interface Volume {
  name: string;
  configMap?: { name: string; items?: Array<{ key: string; path: string }> };
  persistentVolumeClaim?: { claimName: string };
  hostPath?: { path: string };
  emptyDir?: unknown;
}

interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  volumes?: Volume[];
}

function manifestFiles(): string[] {
  return readdirSync(K8S_DIR)
    .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')
    .sort();
}

function loadObjects(): Array<{ file: string; obj: Obj }> {
  const out: Array<{ file: string; obj: Obj }> = [];
  for (const file of manifestFiles()) {
    for (const doc of parseAllDocuments(readFileSync(join(K8S_DIR, file), 'utf8'))) {
      assert.deepEqual(doc.errors, [], `${file}: YAML errors`);
      const obj = doc.toJS() as Obj | null;
      if (obj !== null) out.push({ file, obj });
    }
  }
  return out;
}

const WORKLOADS = new Set(['Deployment', 'DaemonSet', 'StatefulSet', 'Job']);

function podTemplate(o: Obj): { labels: Record<string, string>; spec: PodSpec } | undefined {
  if (!WORKLOADS.has(o.kind)) return undefined;
  return { labels: o.spec.template.metadata.labels ?? {}, spec: o.spec.template.spec as PodSpec };
}

/** What the downward API would give a pod (fixed example values, for validating configs offline). */
const DOWNWARD: Record<string, string> = {
  'status.podIP': '10.244.1.17',
  'status.hostIP': '10.0.0.21',
  'spec.nodeName': 'gpu-node-1',
  'metadata.name': 'pod-0',
  "metadata.annotations['batch.kubernetes.io/job-completion-index']": '1',
  "metadata.labels['batch.kubernetes.io/controller-uid']": '0b6e3f52-5a5e-4f4e-9a39-5f5f0a6c1d2e',
};

/**
 * A container's environment as Kubernetes builds it: `$(NAME)` expands to a variable defined earlier
 * in the list; field references take the DOWNWARD example values. Unresolvable references are returned,
 * since Kubernetes would silently leave them as literal text.
 */
function containerEnv(c: Container): { env: Record<string, string>; unresolved: string[] } {
  const env: Record<string, string> = {};
  const unresolved: string[] = [];
  for (const e of c.env ?? []) {
    if (e.valueFrom?.fieldRef) {
      const v = DOWNWARD[e.valueFrom.fieldRef.fieldPath];
      if (v === undefined) unresolved.push(`${e.name}: fieldRef ${e.valueFrom.fieldRef.fieldPath}`);
      env[e.name] = v ?? '';
      continue;
    }
    env[e.name] = (e.value ?? '').replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (whole, name: string) => {
      if (env[name] === undefined) {
        unresolved.push(`${e.name}: ${whole}`);
        return whole;
      }
      return env[name]!;
    });
  }
  return { env, unresolved };
}

/** The ConfigMap keys a container's `--config=<path>` arguments read, in order, through its volume mounts. */
function configSources(c: Container, spec: PodSpec): { configMap: string; key: string; path: string }[] {
  const out: { configMap: string; key: string; path: string }[] = [];
  for (const arg of (c.args ?? []).filter((a) => a.startsWith('--config='))) {
    const path = arg.slice('--config='.length);
    for (const m of c.volumeMounts ?? []) {
      if (!path.startsWith(`${m.mountPath}/`)) continue;
      const vol = (spec.volumes ?? []).find((v) => v.name === m.name);
      const rel = path.slice(m.mountPath.length + 1);
      const item = vol?.configMap?.items?.find((i) => i.path === rel);
      if (vol?.configMap) out.push({ configMap: vol.configMap.name, key: item?.key ?? rel, path });
    }
  }
  return out;
}

describe('deploy/kubernetes', { timeout: 10 * 60_000 }, () => {
  const objects = loadObjects();
  const byKind = (kind: string) => objects.filter(({ obj }) => obj.kind === kind).map(({ obj }) => obj);
  const named = (kind: string, name: string) => byKind(kind).find((o) => o.metadata.name === name);

  test('every manifest parses and is listed in kustomization.yaml', () => {
    assert.ok(objects.length >= 8, `${objects.length} objects`);
    const kustomization = parseYaml(readFileSync(join(K8S_DIR, 'kustomization.yaml'), 'utf8')) as {
      namespace: string;
      resources: string[];
    };
    assert.deepEqual([...kustomization.resources].sort(), manifestFiles());
    assert.equal(kustomization.namespace, NAMESPACE);
    for (const { file, obj } of objects) {
      assert.ok(obj.apiVersion && obj.kind && obj.metadata?.name, `${file}: apiVersion, kind, metadata.name`);
      if (obj.kind !== 'Namespace') assert.equal(obj.metadata.namespace, NAMESPACE, `${file} ${obj.kind}`);
    }
    const keys = objects.map(({ obj }) => `${obj.kind}/${obj.metadata.name}`);
    assert.equal(new Set(keys).size, keys.length, `duplicate objects: ${keys}`);
  });

  test('workload selectors match their own pod labels', () => {
    for (const o of objects.map((x) => x.obj).filter((x) => WORKLOADS.has(x.kind) && x.kind !== 'Job')) {
      const labels = podTemplate(o)!.labels;
      for (const [k, v] of Object.entries(o.spec.selector.matchLabels as Record<string, string>)) {
        assert.equal(labels[k], v, `${o.kind}/${o.metadata.name} selector ${k}`);
      }
    }
  });

  test('every Service selects pods of one workload, on container ports they have', () => {
    const services = byKind('Service');
    assert.ok(services.length >= 2);
    for (const svc of services) {
      const selector = svc.spec.selector as Record<string, string>;
      const matching = objects
        .map((x) => x.obj)
        .filter((o) => {
          const t = podTemplate(o);
          return t !== undefined && Object.entries(selector).every(([k, v]) => t.labels[k] === v);
        });
      assert.equal(matching.length, 1, `Service/${svc.metadata.name} selects ${matching.length} workloads`);
      const ports = podTemplate(matching[0]!)!.spec.containers.flatMap((c) => c.ports ?? []);
      for (const p of svc.spec.ports as Array<{ name: string; port: number; targetPort: string | number }>) {
        const target = ports.find((cp) =>
          typeof p.targetPort === 'string' ? cp.name === p.targetPort : cp.containerPort === p.targetPort,
        );
        assert.ok(target, `Service/${svc.metadata.name} port ${p.name} -> ${p.targetPort}`);
      }
    }
  });

  test('volumes refer to ConfigMaps, keys and claims that exist; env references resolve', () => {
    for (const o of objects.map((x) => x.obj)) {
      const t = podTemplate(o);
      if (!t) continue;
      for (const v of t.spec.volumes ?? []) {
        if (v.configMap) {
          const cm = named('ConfigMap', v.configMap.name);
          assert.ok(cm, `${o.kind}/${o.metadata.name}: ConfigMap ${v.configMap.name}`);
          for (const item of v.configMap.items ?? []) {
            assert.ok(cm.data?.[item.key] !== undefined, `ConfigMap ${v.configMap.name} key ${item.key}`);
          }
        }
        if (v.persistentVolumeClaim) {
          assert.ok(
            named('PersistentVolumeClaim', v.persistentVolumeClaim.claimName),
            v.persistentVolumeClaim.claimName,
          );
        }
      }
      for (const c of [...t.spec.containers, ...(t.spec.initContainers ?? [])]) {
        for (const m of c.volumeMounts ?? []) {
          assert.ok(
            (t.spec.volumes ?? []).some((v) => v.name === m.name),
            `${o.metadata.name}/${c.name}: mount of volume ${m.name}`,
          );
        }
        assert.deepEqual(containerEnv(c).unresolved, [], `${o.metadata.name}/${c.name}: env references`);
      }
    }
  });

  test("the gateway's ConfigMap holds collector-config/gateway.yaml and gateway-sink.yaml unchanged", () => {
    const cm = named('ConfigMap', 'otelcol-grpo-gateway');
    for (const key of ['gateway.yaml', 'gateway-sink.yaml']) {
      assert.equal(
        cm?.data?.[key],
        readFileSync(join(repoRoot, 'collector-config', key), 'utf8'),
        `copy collector-config/${key} into deploy/kubernetes/gateway.yaml (data: ${key})`,
      );
    }
  });

  test('the gateway sends to the sink Service; the sink sends its analyses back to the gateway', () => {
    const gateway = podTemplate(named('Deployment', 'otelcol-grpo-gateway')!)!.spec.containers[0]!;
    const sinkService = named('Service', 'grpo-otel-sink')!;
    const sinkTo = new URL(containerEnv(gateway).env.GRPO_SINK_ENDPOINT!);
    assert.equal(sinkTo.hostname, `${sinkService.metadata.name}.${NAMESPACE}.svc.cluster.local`);
    const port = (sinkService.spec.ports as Array<{ port: number; targetPort: string }>).find(
      (p) => p.port === Number(sinkTo.port),
    );
    assert.ok(port, `Service/${sinkService.metadata.name} has port ${sinkTo.port}`);
    const sinkDeployment = podTemplate(named('Deployment', 'grpo-otel-sink')!)!.spec;
    const sink = sinkDeployment.containers[0]!;
    const args = sink.args ?? [];
    const arg = (name: string) => args[args.indexOf(name) + 1]!;
    assert.equal(args[0], 'sink');
    assert.equal(
      Number(arg('--port')),
      sink.ports!.find((p) => p.name === port.targetPort)?.containerPort,
      "the sink listens on its Service's target port",
    );
    assert.equal(arg('--host'), '$(POD_IP)', "the pod's address, not its loopback");
    assert.ok(containerEnv(sink).env.POD_IP, 'POD_IP is defined for $(POD_IP)');
    const back = new URL(arg('--otlp-endpoint'));
    const gatewayService = named('Service', 'otelcol-grpo-gateway')!;
    assert.equal(back.hostname, `${gatewayService.metadata.name}.${NAMESPACE}.svc.cluster.local`);
    const gwPort = (gatewayService.spec.ports as Array<{ port: number; targetPort: string }>).find(
      (p) => p.port === Number(back.port),
    );
    assert.equal(gwPort?.targetPort, 'otlp-http', "the gateway's OTLP/HTTP port");
    const out = arg('--out');
    const mount = sink.volumeMounts?.find((m) => m.mountPath === out);
    const volume = sinkDeployment.volumes?.find((v) => v.name === mount?.name);
    assert.ok(volume?.persistentVolumeClaim, `--out ${out} is on a PersistentVolumeClaim`);
  });

  test('agents forward to the gateway Service; trainers send to the agent on their node', () => {
    const agent = named('DaemonSet', 'otelcol-grpo-agent')!;
    const agentPod = podTemplate(agent)!.spec;
    const agentEnv = containerEnv(agentPod.containers[0]!).env;
    const gateway = named('Service', 'otelcol-grpo-gateway')!;
    const [host, port] = agentEnv.GRPO_GATEWAY_OTLP_ENDPOINT!.split(':');
    assert.equal(host, `${gateway.metadata.name}.${NAMESPACE}.svc.cluster.local`);
    const gwPort = (gateway.spec.ports as Array<{ port: number; targetPort: string }>).find(
      (p) => p.port === Number(port),
    );
    assert.equal(gwPort?.targetPort, 'otlp-grpc');

    const agentService = named('Service', 'otelcol-grpo-agent')!;
    assert.equal(agentService.spec.internalTrafficPolicy, 'Local');

    const job = named('Job', 'grpo-train')!;
    assert.equal(job.spec.completionMode, 'Indexed');
    assert.equal(job.spec.parallelism, job.spec.completions);
    const trainer = podTemplate(job)!.spec.containers[0]!;
    const env = containerEnv(trainer).env;
    const raw = Object.fromEntries((trainer.env ?? []).map((e) => [e.name, e]));
    assert.equal(raw.NODE_IP?.valueFrom?.fieldRef?.fieldPath, 'status.hostIP');
    const endpoint = new URL(env.OTEL_EXPORTER_OTLP_ENDPOINT!);
    assert.equal(endpoint.hostname, DOWNWARD['status.hostIP'], 'the node IP');
    const httpPort = agentPod.containers[0]!.ports!.find((p) => p.name === 'otlp-http')!;
    assert.equal(Number(endpoint.port), httpPort.hostPort, "the agent's hostPort for OTLP/HTTP");
    assert.equal(
      raw.RANK?.valueFrom?.fieldRef?.fieldPath,
      "metadata.annotations['batch.kubernetes.io/job-completion-index']",
    );
    assert.equal(Number(env.WORLD_SIZE), job.spec.completions, 'WORLD_SIZE = completions');
    assert.ok(env.GRPO_RUN_ID, 'one run id for all ranks');
  });

  describe('the embedded collector configs validate with otelcol-grpo', () => {
    const collectors = objects
      .map((x) => x.obj)
      .flatMap((o) => {
        const t = podTemplate(o);
        return (t?.spec.containers ?? [])
          .map((c) => ({ o, c, sources: t ? configSources(c, t.spec) : [] }))
          .filter((x) => x.sources.length > 0);
      });

    test('there is one for the agent and one for the gateway', () => {
      assert.deepEqual(collectors.map(({ o }) => `${o.kind}/${o.metadata.name}`).sort(), [
        'DaemonSet/otelcol-grpo-agent',
        'Deployment/otelcol-grpo-gateway',
      ]);
    });

    for (const { o, c, sources } of collectors) {
      const keys = sources.map((x) => `${x.configMap} ${x.key}`).join(' + ');
      test(`${o.kind}/${o.metadata.name}: ${keys}`, async () => {
        const dir = await tempDirUntilExit('grpo-k8s-validate-');
        const files = sources.map((source) => {
          const text = named('ConfigMap', source.configMap)?.data?.[source.key];
          assert.ok(text, `ConfigMap ${source.configMap} key ${source.key}`);
          const file = join(dir, source.key);
          writeFileSync(file, text);
          return file;
        });
        // Only the container's own environment (nothing inherited from this test's).
        const { env } = containerEnv(c);
        const r = spawnSync(await collectorBinary(), ['validate', ...files.map((f) => `--config=${f}`)], {
          env: { PATH: process.env.PATH ?? '', HOME: dir, ...env },
          encoding: 'utf8',
        });
        assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
      });
    }
  });

  describe('kubernetes-validate (offline OpenAPI schemas, strict)', () => {
    let python: string;
    before(() => {
      python = pythonBinary();
    });

    const validate = (file: string) =>
      runTool(python, ['-m', 'kubernetes_validate', '--strict', '--kubernetes-version', K8S_VERSION, file]);

    for (const file of manifestFiles()) {
      test(file, async () => {
        const r = await validate(join(K8S_DIR, file));
        assert.equal(r.code, 0, `${r.stdout}${r.stderr}`);
      });
    }

    test('it rejects a manifest with a misspelled field (the check can fail)', async () => {
      const dir = await tempDirUntilExit('grpo-k8s-bad-');
      const bad = readFileSync(join(K8S_DIR, 'trainer-job.yaml'), 'utf8').replace(
        'completionMode: Indexed',
        'completionMod: Indexed',
      );
      assert.ok(bad.includes('completionMod:'));
      writeFileSync(join(dir, 'bad.yaml'), bad);
      const r = await validate(join(dir, 'bad.yaml'));
      assert.notEqual(r.code, 0, `${r.stdout}${r.stderr}`);
      assert.match(`${r.stdout}${r.stderr}`, /completionMod/);
    });
  });
});
