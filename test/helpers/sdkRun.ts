// Runs the SDK in this process against a config file and collects what it reported through `diag`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type DropEntry,
  getDrops,
  getTrainingLogger,
  initialize,
  logTrainingProgress,
  shutdown,
  withStepSpan,
} from '@grpo-otel/sdk';
import { captureDiag } from '@grpo-otel/testkit/captureDiag';

export interface SdkRun {
  /** What the run dropped (its final counts, read after shutdown). */
  drops: DropEntry[];
  /** Everything the SDK and OpenTelemetry said through `diag` at WARN and above, one entry per call. */
  diagMessages: string[];
}

/**
 * Writes `yaml` to <dir>/grpo.yaml, initializes the SDK from it (baseDir `dir`: relative paths resolve against it),
 * logs one record, one training step (metrics) and one step span tagged with `marker`, then shuts
 * down (which flushes every exporter). Returns the drop counts and the diag output.
 */
export async function runSdkOnce(
  dir: string,
  yaml: string,
  env: Record<string, string>,
  marker: string,
  emit?: () => void,
): Promise<SdkRun> {
  mkdirSync(dir, { recursive: true });
  const configPath = join(dir, 'grpo.yaml');
  writeFileSync(configPath, yaml);
  const captured = captureDiag();
  const diagMessages = captured.messages;
  try {
    initialize({ configPath, baseDir: dir, env, handleExit: false, registerGlobal: false });
    withStepSpan(1, () => {
      getTrainingLogger().info(`record ${marker}`);
      logTrainingProgress(1, { loss: 0.25 });
      emit?.();
    });
    await shutdown();
    return { drops: await getDrops(), diagMessages };
  } finally {
    captured.stop();
  }
}
