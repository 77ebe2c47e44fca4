import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts the worker whose entry is `entry` (a path relative to `from`, without extension): the `.js`
 * file next to a built module, or, running from sources under tsx, the `.ts` file with tsx registered
 * in the worker first (its loader is not inherited by workers). tsx is resolved from this module, not
 * from the working directory the worker's eval would resolve it against.
 */
export function spawnWorker(from: string, entry: string, options: WorkerOptions = {}): Worker {
  if (from.endsWith('.ts')) {
    const url = new URL(`${entry}.ts`, from).href;
    const tsx = import.meta.resolve('tsx/esm/api');
    return new Worker(
      `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(url)}); });`,
      { ...options, eval: true },
    );
  }
  return new Worker(new URL(`${entry}.js`, from), options);
}
