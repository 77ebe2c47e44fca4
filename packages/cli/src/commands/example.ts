import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  ConfigError,
  getTrainingLogger,
  getWhitelistLogger,
  initialize,
  logMemoryUsage,
  logModelOutput,
  logReward,
  logTrainingProgress,
  shutdown,
  withSpan,
  withStepSpan,
} from '@grpo-otel/sdk';
import type { CommandIO } from './validateConfig.js';

/** A seeded PRNG (mulberry32), so example runs are repeatable. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WHITELIST = ['add', 'sum', 'total', 'plus'];

/**
 * `grpo-otel example`: a small training-shaped loop that exercises the whole public API (channels,
 * progress, rewards, model outputs, memory, spans) with synthetic numbers: a policy whose chance of
 * answering correctly rises over the steps. It is a smoke test of the telemetry, not a trainer; the
 * real GRPO demo trainer is `packages/demo-trainer`.
 */
export async function runExample(args: string[], io: CommandIO): Promise<number> {
  let values: { steps?: string; config?: string; out?: string; seed?: string; group?: string };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        steps: { type: 'string' },
        config: { type: 'string' },
        out: { type: 'string' },
        seed: { type: 'string' },
        group: { type: 'string' },
      },
    }));
  } catch (err) {
    io.err(`grpo-otel example: ${(err as Error).message}`);
    return 2;
  }
  const steps = Number(values.steps ?? 60);
  const group = Number(values.group ?? 8);
  const seed = Number(values.seed ?? 7);
  if (
    !Number.isInteger(steps) ||
    steps < 1 ||
    !Number.isInteger(group) ||
    group < 1 ||
    !Number.isFinite(seed)
  ) {
    io.err('grpo-otel example: --steps and --group must be positive integers, --seed a number');
    return 2;
  }
  const out = resolve(io.cwd, values.out ?? '.');
  try {
    initialize({ ...(values.config ? { configPath: values.config } : {}), baseDir: out, env: io.env });
  } catch (err) {
    if (err instanceof ConfigError) {
      io.err(err.message);
      return 1;
    }
    throw err;
  }
  const log = getTrainingLogger();
  const random = rng(seed);
  log.info(`example run: ${steps} steps, groups of ${group} (synthetic rewards)`);
  let firstAccuracy = 0;
  let lastAccuracy = 0;
  for (let step = 1; step <= steps; step++) {
    await withStepSpan(step, async () => {
      const pCorrect = 0.15 + 0.7 * (step / steps);
      const a = 1 + Math.floor(random() * 9);
      const b = 1 + Math.floor(random() * 9);
      const completions = await withSpan('grpo.generate', { 'grpo.group.size': group }, async () =>
        Array.from({ length: group }, () => {
          const right = random() < pCorrect;
          const answer = right ? a + b : a + b + 1 + Math.floor(random() * 3);
          const word = WHITELIST[Math.floor(random() * WHITELIST.length)]!;
          return `<reasoning>\nWe ${word} ${a} and ${b}.\n</reasoning>\n<answer>\n${answer}\n</answer>`;
        }),
      );
      const correctness: number[] = completions.map((c) => (c.includes(`\n${a + b}\n</answer>`) ? 1 : 0));
      const format = completions.map(() => (random() < 0.9 + 0.1 * (step / steps) ? 0.5 : 0));
      withSpan('grpo.reward', {}, () => {
        logReward('correctness_reward', correctness, completions);
        logReward('xml_format_reward', format);
      });
      const matched = WHITELIST.filter((w) => completions[0]!.includes(w));
      getWhitelistLogger().info(`step ${step}: whitelist matches ${matched.join(', ') || '(none)'}`, {
        'grpo.step': step,
        'grpo.whitelist.matches': matched,
      });
      const accuracy = correctness.reduce((x, y) => x + y, 0) / group;
      if (step === 1) firstAccuracy = accuracy;
      lastAccuracy = accuracy;
      logTrainingProgress(step, {
        loss: 0.05 * random() - 0.025,
        learning_rate: 1e-5,
        accuracy,
        kl: 0.001 * step * (1 + random()),
      });
      logModelOutput(`What is ${a}+${b}?`, String(a + b), completions[0]!);
      if (step % 10 === 0 || step === steps) logMemoryUsage();
    });
  }
  log.info(
    `done: accuracy ${firstAccuracy.toFixed(2)} at step 1 -> ${lastAccuracy.toFixed(2)} at step ${steps}`,
  );
  await shutdown();
  io.out(`example finished: ${steps} steps; logs under ${out}`);
  return 0;
}
