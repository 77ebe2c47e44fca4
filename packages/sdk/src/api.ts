import { createNoopMeter, diag, type Meter, ProxyTracerProvider, type Tracer } from '@opentelemetry/api';
import type { SignalNotice } from './analysis/applyAnalysisResult.js';
import { DEFAULT_CONFIG_YAML } from './config/defaultConfig.js';
import type { Env } from './config/envSubstitution.js';
import { loadConfigFile, parseConfig } from './config/loadConfig.js';
import { envFlag } from './config/otlpEnv.js';
import type { ResolvedConfig } from './config/ResolvedConfig.js';
import { channelName } from './internal/channelName.js';
import type { DropEntry } from './internal/DropCounter.js';
import type { ChannelLogger } from './logging/ChannelLogger.js';
import { installSdkDiagnostics } from './logging/sdkDiagnostics.js';
import { setSdkLifecycle } from './logging/sdkLifecycle.js';
import {
  activeTelemetry,
  callerSide,
  channelLogger,
  currentTelemetry,
  currentThread,
  setActiveTelemetry,
} from './runtime/channelRegistry.js';
import { forwardDiagToRoot } from './runtime/forwardDiagToRoot.js';
import { GrpoTelemetry, type GrpoTelemetryOptions } from './runtime/GrpoTelemetry.js';
import { TelemetryThread } from './runtime/TelemetryThread.js';

export interface InitializeOptions extends GrpoTelemetryOptions {
  /** A YAML config file. Default: $GRPO_OTEL_CONFIG, else the embedded default. */
  configPath?: string;
  /** An already resolved config (overrides `configPath`). */
  config?: ResolvedConfig;
  /**
   * Directory relative paths in the config (`filename`, `log_dir`, `dataset_path`, TLS files) resolve
   * against, and must stay inside. Default: the working directory, as Python's `logging.config` does,
   * for a config file and for the embedded default alike; so `initialize('scratch/p.yaml')` with
   * `filename: scratch/train.log` writes `./scratch/train.log`. Set it to put one run's files together
   * in a run folder (the demo trainer passes its run folder), or to the config file's directory to
   * resolve paths against the file. Absolute paths are used as written.
   */
  baseDir?: string;
  /** Environment for `${env:...}` and OTEL_* variables (default: process.env). */
  env?: Env;
}

/** The seed's channels. Any other name works too, through {@link getLogger}. */
export const CHANNELS = ['training', 'model_outputs', 'rewards', 'whitelist', 'metrics', 'system'] as const;
export type ChannelName = (typeof CHANNELS)[number];

/**
 * Initializes telemetry from a YAML config (the seed's `initialize(config_path=None)`). Calling it
 * again replaces the previous setup (which is shut down, flushing what it buffered). With
 * OTEL_SDK_DISABLED=true it sets nothing up and every call below is a no-op.
 * Unless the application registered its own `diag` logger, OpenTelemetry's and the SDK's diagnostics
 * (dropped records, failed exports, what shutdown could not deliver) are printed on stderr from here
 * on, each cause once, at `OTEL_LOG_LEVEL` (default `warn`; `none` silences them), and also go to the
 * root channel's handlers.
 * Throws a {@link ConfigError} (one line: file, line, key, what was expected) for a bad config.
 */
export function initialize(configPathOrOptions?: string | InitializeOptions): GrpoTelemetry | undefined {
  const options: InitializeOptions =
    typeof configPathOrOptions === 'string'
      ? { configPath: configPathOrOptions }
      : (configPathOrOptions ?? {});
  const env = options.env ?? process.env;
  const previous = currentTelemetry() ?? currentThread();
  stopped = undefined;
  if (previous) {
    setActiveTelemetry(undefined);
    void previous.shutdown();
  }
  if (envFlag(env, 'OTEL_SDK_DISABLED')) {
    setSdkLifecycle('disabled');
    return undefined;
  }
  installSdkDiagnostics(env, forwardDiagToRoot);
  const path = options.configPath ?? env.GRPO_OTEL_CONFIG;
  const config =
    options.config ??
    (path
      ? loadConfigFile(path, { env, ...(options.baseDir !== undefined ? { baseDir: options.baseDir } : {}) })
      : parseConfig(DEFAULT_CONFIG_YAML, {
          source: '<embedded default>',
          baseDir: options.baseDir ?? process.cwd(),
          env,
        }));
  if (config.telemetryThread.enabled) {
    const inProcess = ['metricReaders', 'spanProcessors', 'stepExporters'].filter(
      (k) => options[k as keyof InitializeOptions] !== undefined,
    );
    if (inProcess.length === 0) {
      setActiveTelemetry(
        new TelemetryThread(config, {
          ...(options.registerGlobal !== undefined ? { registerGlobal: options.registerGlobal } : {}),
          ...(options.handleExit !== undefined ? { handleExit: options.handleExit } : {}),
          env,
        }),
      );
      // The SDK instance lives on the telemetry thread.
      return undefined;
    }
    const why = `grpo-otel: telemetry_thread.enabled is ignored: ${inProcess.join(', ')} given to initialize() run on the calling thread, so the pipeline does too`;
    // Said when the config asked for the thread; the default gives way to them quietly.
    if (config.telemetryThread.enabledInConfig) diag.warn(why);
    else diag.debug(why);
  }
  const t = new GrpoTelemetry(config, options);
  setActiveTelemetry(t);
  return t;
}

/** Flushes everything buffered to every sink and stops the SDK. Safe to call more than once. */
export async function shutdown(): Promise<void> {
  const t = currentTelemetry() ?? currentThread();
  setActiveTelemetry(undefined);
  if (t) stopped = t;
  await t?.shutdown();
}

/** Everything logged so far is written (files synced) and sent. */
export async function forceFlush(): Promise<void> {
  await (currentTelemetry() ?? currentThread())?.forceFlush();
}

/**
 * What the SDK has dropped so far, by signal, reason and place (each entry's `count`), counted once
 * every call made before this one was handled: on the calling thread, or by the telemetry thread.
 * After `shutdown()`, the run's final counts (until the next `initialize()`). Empty when nothing was
 * dropped or the SDK was never initialized.
 */
export async function getDrops(): Promise<DropEntry[]> {
  const t = currentTelemetry() ?? currentThread() ?? stopped;
  if (t instanceof TelemetryThread) return t.dropCounts();
  return t?.drops.snapshot() ?? [];
}

/** The instance the last `shutdown()` stopped: its counts stay readable until the next `initialize()`. */
let stopped: GrpoTelemetry | TelemetryThread | undefined;

/**
 * The active SDK instance, if initialized on the calling thread (`telemetry_thread.enabled: false`,
 * or in-process readers given to `initialize()`); undefined with a telemetry thread: it lives there.
 */
export function getTelemetry(): GrpoTelemetry | undefined {
  return currentTelemetry();
}

/** The logger of a channel (any name; `root` is the root logger). */
export function getLogger(name: string = 'root'): ChannelLogger {
  return channelLogger(channelName(name));
}

export const getTrainingLogger = (): ChannelLogger => getLogger('training');
export const getModelLogger = (): ChannelLogger => getLogger('model_outputs');
export const getRewardLogger = (): ChannelLogger => getLogger('rewards');
export const getWhitelistLogger = (): ChannelLogger => getLogger('whitelist');
export const getMetricsLogger = (): ChannelLogger => getLogger('metrics');
export const getSystemLogger = (): ChannelLogger => getLogger('system');

const NOOP_METER = createNoopMeter();
const NOOP_TRACER = new ProxyTracerProvider().getTracer('noop');

/** The SDK's meter (a no-op meter when not initialized). */
export function getMeter(): Meter {
  const thread = currentThread();
  if (thread) return thread.meter;
  return activeTelemetry()?.meter ?? NOOP_METER;
}

/** The SDK's tracer, for step/generation/reward/update spans (a no-op tracer when not initialized). */
export function getTracer(): Tracer {
  return callerSide()?.tracer ?? NOOP_TRACER;
}

/**
 * Registers `callback` for plateau and collapse signals of the analysis (`reward_plateau`,
 * `entropy_collapse`, `diversity_collapse`), fired once per episode; returns a function that removes
 * it. Use it for early stopping or checkpointing. Registered callbacks survive until `shutdown()`.
 */
export function onSignal(callback: (signal: SignalNotice) => void): () => void {
  const thread = currentThread();
  if (thread) return thread.onSignal(callback);
  return activeTelemetry()?.analyses.onSignal(callback) ?? (() => undefined);
}

/**
 * The seed's early-stopping hook: `callback` fires once per plateau of the run's objective (the total
 * reward, or the only reward function; `metrics.plateau.objective` names another), with the step it
 * was detected at. Plateaus of single reward functions are signals too ({@link onSignal}, subject = the
 * function), but do not fire this.
 */
export function onPlateau(callback: (signal: SignalNotice) => void): () => void {
  return onSignal((s) => {
    if (s.kind === 'reward_plateau' && s.objective === true) callback(s);
  });
}

/** Reports tensor-library memory (e.g. `registerTensorMemory(() => tf.memory())`) as grpo.tfjs.* metrics. */
export function registerTensorMemory(read: () => { numBytes: number; numTensors: number }): void {
  const thread = currentThread();
  if (thread) thread.registerTensorMemory(read);
  else activeTelemetry()?.training.registerTensorMemory(read);
}
