import { createRequire } from 'node:module';

/** The SDK's version, from its package.json (the one source: built or from sources, it is two folders up). */
export const SDK_VERSION: string = (
  createRequire(import.meta.url)('../../package.json') as { version: string }
).version;

/** The SDK's instrumentation scope name. */
export const SDK_NAME = '@grpo-otel/sdk';
