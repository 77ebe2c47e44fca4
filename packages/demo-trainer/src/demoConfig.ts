import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadConfigFile, parseConfig, type ResolvedConfig } from '@grpo-otel/sdk';

/** The YAML config shipped with the package: the seed's layout, every path under the run folder. */
export const DEMO_CONFIG_PATH: string = fileURLToPath(
  new URL('../config/logging_config.yaml', import.meta.url),
);

/**
 * Loads the demo's telemetry config (or `configPath`) with relative paths resolved against the run
 * folder `baseDir`. Throws the SDK's ConfigError (file, line, key, what was expected) on a bad config.
 */
export function loadDemoConfig(
  baseDir: string,
  configPath?: string,
  env: Record<string, string | undefined> = process.env,
): ResolvedConfig {
  if (configPath) return loadConfigFile(configPath, { env, baseDir });
  return parseConfig(readFileSync(DEMO_CONFIG_PATH, 'utf8'), { source: DEMO_CONFIG_PATH, baseDir, env });
}
