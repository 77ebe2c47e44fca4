// Entry of the analysis worker thread: receives jobs, runs the Analyzer, posts results back.
import { parentPort } from 'node:worker_threads';
import { Analyzer } from './Analyzer.js';
import type { WorkerRequest, WorkerResponse } from './protocol.js';

let analyzer: Analyzer | undefined;

parentPort?.on('message', (msg: WorkerRequest) => {
  if (msg.type === 'init') {
    analyzer = new Analyzer(msg.settings);
    return;
  }
  const { job } = msg;
  let reply: WorkerResponse;
  let transfer: ArrayBuffer[] = [];
  try {
    if (!analyzer) throw new Error('analysis worker used before init');
    const result = analyzer.analyze(job);
    reply = { type: 'result', id: job.id, result };
    transfer = [result.gauges.series.buffer as ArrayBuffer, result.gauges.values.buffer as ArrayBuffer];
  } catch (err) {
    reply = {
      type: 'error',
      id: job.id,
      message: err instanceof Error ? (err.stack ?? err.message) : String(err),
    };
  }
  parentPort?.postMessage(reply, transfer);
});
