/** The demo trainer's module, as `grpo-otel demo` uses it. */
export type DemoTrainerModule = typeof import('@grpo-otel/demo-trainer');

export const DEMO_TRAINER_PACKAGE = '@grpo-otel/demo-trainer';

/** The demo trainer (or a module it needs, such as tfjs) is not installed. */
export class DemoTrainerMissingError extends Error {
  constructor(readonly missing: string) {
    super(
      missing === DEMO_TRAINER_PACKAGE
        ? `the demo needs ${DEMO_TRAINER_PACKAGE}, which is not installed (it is optional: it brings tfjs); install it next to the CLI: npm install ${DEMO_TRAINER_PACKAGE}`
        : `the demo trainer cannot load ${missing}, which it needs; reinstall it: npm install ${DEMO_TRAINER_PACKAGE}`,
    );
    this.name = 'DemoTrainerMissingError';
  }
}

/** The package a failed import could not find, from Node's ERR_MODULE_NOT_FOUND message. */
function missingPackage(err: unknown): string | undefined {
  const e = err as NodeJS.ErrnoException | undefined;
  if (e?.code !== 'ERR_MODULE_NOT_FOUND' || typeof e.message !== 'string') return undefined;
  return /Cannot find (?:package|module) '([^']+)'/.exec(e.message)?.[1];
}

/**
 * Loads the demo trainer only when `grpo-otel demo` runs: it is an optional peer of the CLI (it brings
 * tfjs), so `validate-config`, `tb-dump` and `report` work without it. A missing trainer, or a missing
 * module under it, becomes a {@link DemoTrainerMissingError} saying what to install; any other error
 * is rethrown. `load` is the import (replaceable in tests).
 */
export async function loadDemoTrainer(
  load: () => Promise<DemoTrainerModule> = () => import('@grpo-otel/demo-trainer'),
): Promise<DemoTrainerModule> {
  try {
    return await load();
  } catch (err) {
    const missing = missingPackage(err);
    if (missing === undefined) throw err;
    // Node names the path it looked for a package at, or the bare name.
    throw new DemoTrainerMissingError(
      missing.includes(DEMO_TRAINER_PACKAGE) ? DEMO_TRAINER_PACKAGE : missing,
    );
  }
}
