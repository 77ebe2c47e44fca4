import type { MetricsConfig } from '@grpo-otel/sdk';
import type { AnalysisSettings } from '@grpo-otel/sdk/otel';

/**
 * The analysis settings of a config's `metrics` section (history window, plateau and collapse
 * detectors), as the SDK starts its analysis worker with them.
 */
export function analysisSettings(
  metrics: Pick<MetricsConfig, 'historyWindow' | 'plateau' | 'collapse'>,
  startedAtMs: number = Date.now(),
): AnalysisSettings {
  const cpu = process.cpuUsage();
  const c = metrics.collapse;
  return {
    historyWindow: metrics.historyWindow,
    startedAtMs,
    cpuAtStartUs: cpu.user + cpu.system,
    plateau: {
      window: metrics.plateau.window,
      minDelta: metrics.plateau.minDelta,
      patience: metrics.plateau.patience,
      objective: metrics.plateau.objective,
    },
    collapse: {
      window: c.window,
      ...(c.entropyThreshold !== undefined ? { entropyThreshold: c.entropyThreshold } : {}),
      ...(c.diversityThreshold !== undefined ? { diversityThreshold: c.diversityThreshold } : {}),
      ...(c.maxDrop !== undefined ? { maxDrop: c.maxDrop } : {}),
    },
  };
}
