import { fileURLToPath } from 'node:url';

/** The repository's root directory (this file lives in packages/testkit/src/). */
export const repoRoot: string = fileURLToPath(new URL('../../../', import.meta.url));
