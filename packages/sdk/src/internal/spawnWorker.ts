import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts the worker whose entry is `entry` (a path relative to `from`, without extension): the `.js`
 * file next to a built module, or, running from sources under tsx, the `.ts` file with tsx registered
 * in the worker first (its loader is not inherited by workers).
 */
export function spawnWorker(from: string, entry: string, options: WorkerOptions = {}): Worker {
  if (from.endsWith('.ts')) {
    const url = new URL(`${entry}.ts`, from).href;
    return new Worker(
      `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(url)}); });`,
      { ...options, eval: true },
    );
  }
  return new Worker(new URL(`${entry}.js`, from), options);
}
