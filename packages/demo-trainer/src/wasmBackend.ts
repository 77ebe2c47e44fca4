import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

export interface WasmBackendInfo {
  backend: string;
  simd: boolean;
  threads: number;
}

let ready: Promise<WasmBackendInfo> | undefined;

/**
 * Selects tfjs' WebAssembly backend, loading its .wasm binaries from the installed package (never
 * from the network). Threads: at most `maxThreads` (default: the cores, up to 2); Node builds of the
 * backend run single-threaded unless the threaded binary can start workers. Idempotent.
 */
export function initWasmBackend(maxThreads = Math.min(2, availableParallelism())): Promise<WasmBackendInfo> {
  ready ??= (async () => {
    const require = createRequire(import.meta.url);
    const dir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
    setWasmPaths(`${dir}/`);
    setThreadsCount(Math.max(1, maxThreads));
    if (!(await tf.setBackend('wasm'))) throw new Error('the tfjs wasm backend failed to initialize');
    await tf.ready();
    const threaded = tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT');
    return {
      backend: tf.getBackend(),
      simd: tf.env().getBool('WASM_HAS_SIMD_SUPPORT'),
      threads: threaded ? Math.max(1, maxThreads) : 1,
    };
  })();
  return ready;
}
