// One measured run of the demo trainer, in its own process (bench/overhead/run.ts starts it).
// Usage: node --conditions=source --import tsx bench/overhead/trainRun.ts <run folder> <config.yaml> <options json>
// Telemetry is on or off by the environment alone (OTEL_SDK_DISABLED, OTEL_EXPORTER_OTLP_ENDPOINT);
// the run writes <run folder>/summary.json (per-step times in history.stepSeconds, drops in drops).
import { runDemo } from '../../packages/demo-trainer/src/index.js';

const [outDir, configPath, optionsJson] = process.argv.slice(2);
if (!outDir || !configPath || !optionsJson) {
  process.stderr.write('usage: trainRun.ts <run folder> <config.yaml> <trainer options json>\n');
  process.exit(2);
}
await runDemo({ outDir, configPath, trainer: JSON.parse(optionsJson) });
