import { fileURLToPath } from 'node:url';
import { reportSdkWarning } from './sdkDiagnostics.js';

/**
 * Where the SDK is in its life: before the first `initialize()`, running, shut down, or disabled
 * (`OTEL_SDK_DISABLED=true`, where every call is a no-op on purpose).
 */
export type SdkLifecycle = 'uninitialized' | 'active' | 'shutdown' | 'disabled';

let state: SdkLifecycle = 'uninitialized';
const warned = new Set<string>();
/** Names warned about at most. */
const MAX_WARNINGS = 64;
/**
 * Calls inspected at most (each reads the stack for its name): a trainer that never initializes
 * pays for the first ones only, then calls cost what they cost before.
 */
const MAX_INSPECTED = 1000;
let inspected = 0;

export function sdkLifecycle(): SdkLifecycle {
  return state;
}

export function setSdkLifecycle(next: SdkLifecycle): void {
  state = next;
}

/** The folder of the SDK's own modules (src/ or dist/), to tell its stack frames from the caller's. */
const SDK_DIR = new URL('../', import.meta.url);
const SDK_DIR_PATH = SDK_DIR.protocol === 'file:' ? fileURLToPath(SDK_DIR) : SDK_DIR.href;

/**
 * The SDK function the application called: the outermost frame of the SDK's own code on the stack
 * (`logRewardMetrics`, `withSpan`, ...). Undefined when the stack says nothing usable (bundled code).
 */
function calledApi(): string | undefined {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 24;
  const stack = new Error().stack ?? '';
  Error.stackTraceLimit = limit;
  let name: string | undefined;
  for (const line of stack.split('\n').slice(1)) {
    if (!line.includes(SDK_DIR_PATH) && !line.includes(SDK_DIR.href)) break;
    const m = /^\s*at (?:async )?(?:new )?([\w$.<>]+) \(/.exec(line);
    if (m?.[1] && !m[1].includes('<anonymous>')) name = m[1].replace(/^(Object|Module)\./, '');
  }
  return name;
}

/**
 * Says once, on stderr (or the application's diag logger), that a call made before `initialize()` did
 * nothing: the first silent no-op is where a trainer's telemetry goes missing. `api` names the call;
 * by default it is read from the stack. Calls after `shutdown()` and with the SDK disabled stay silent.
 */
export function warnInactiveCall(api?: string): void {
  if (state !== 'uninitialized' || warned.size >= MAX_WARNINGS || inspected >= MAX_INSPECTED) return;
  inspected++;
  const name = api ?? calledApi() ?? 'a grpo-otel call';
  if (warned.has(name)) return;
  warned.add(name);
  const what = name.endsWith(')') || name.startsWith('a ') ? name : `${name}()`;
  reportSdkWarning(`grpo-otel: ${what} called before initialize(); ignored`);
}
