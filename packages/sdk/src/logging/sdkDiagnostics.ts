import { type DiagLogger, DiagLogLevel, diag } from '@opentelemetry/api';
import { diagLogLevelFromString } from '@opentelemetry/core';
import type { Env } from '../config/envSubstitution.js';
import { type DiagForward, SdkDiagLogger } from '../internal/SdkDiagLogger.js';

/** The SDK's diag logger: one per process, as `diag` is. */
const sdkLogger = new SdkDiagLogger();
/** The logger `diag` holds since the SDK registered `sdkLogger` (OTel wraps it in a level filter). */
let registered: DiagLogger | undefined;

/**
 * The logger registered with `diag` now, if any. `@opentelemetry/api` keeps it in a process-wide
 * global under `Symbol.for('opentelemetry.js.api.1')` (shared by every copy of the API of major
 * version 1) and has no getter for it; `diag.setLogger` replaces it without saying what was there.
 */
function registeredDiagLogger(): DiagLogger | undefined {
  const globals = (globalThis as Record<symbol, { diag?: DiagLogger } | undefined>)[
    Symbol.for('opentelemetry.js.api.1')
  ];
  return globals?.diag;
}

/** True when someone else (the application, a test) has registered a diag logger. */
export function userDiagLoggerSet(): boolean {
  const current = registeredDiagLogger();
  return current !== undefined && current !== registered;
}

/** `OTEL_LOG_LEVEL` as OTel reads it (NONE, ERROR, WARN, INFO, DEBUG, VERBOSE, ALL); WARN when unset. */
export function diagLevelFromEnv(env: Env): { level: DiagLogLevel; invalid?: string } {
  const raw = env.OTEL_LOG_LEVEL;
  if (raw === undefined || raw.trim() === '') return { level: DiagLogLevel.WARN };
  const level = diagLogLevelFromString(raw.trim());
  return level === undefined ? { level: DiagLogLevel.WARN, invalid: raw } : { level };
}

/**
 * Makes `diag` visible: unless the application registered its own diag logger, the SDK's logger is
 * registered at `OTEL_LOG_LEVEL` (default WARN; `none` silences it), printing each cause once on
 * stderr, and `forward` (the root channel) receives the same lines. An application that calls
 * `diag.setLogger` later simply replaces it. Called by `initialize()`; idempotent.
 */
export function installSdkDiagnostics(env: Env, forward?: DiagForward): void {
  if (userDiagLoggerSet()) return;
  const { level, invalid } = diagLevelFromEnv(env);
  sdkLogger.level = level;
  sdkLogger.forward = forward;
  if (registeredDiagLogger() === undefined) {
    // The SDK logger filters by its own level (which may change on a later initialize()).
    diag.setLogger(sdkLogger, { logLevel: DiagLogLevel.ALL, suppressOverrideMessage: true });
    registered = registeredDiagLogger();
  }
  if (invalid !== undefined) {
    diag.warn(
      `grpo-otel: OTEL_LOG_LEVEL=${JSON.stringify(invalid)} is not a level (none, error, warn, info, debug, verbose, all); using warn`,
    );
  }
}

/** Stops forwarding diagnostics to a channel (at shutdown); stderr keeps them. */
export function stopForwardingDiagnostics(): void {
  sdkLogger.forward = undefined;
}

/**
 * Reports a misuse of the API (a call before `initialize()`) once per cause: through `diag` when a
 * logger is registered (the application's, or the SDK's), else through the SDK's logger directly at
 * the level `OTEL_LOG_LEVEL` gives, without registering it (an application may set its own later).
 */
export function reportSdkWarning(message: string): void {
  if (registeredDiagLogger() !== undefined) {
    diag.warn(message);
    return;
  }
  if (registered === undefined) sdkLogger.level = diagLevelFromEnv(process.env).level;
  sdkLogger.warn(message);
}
