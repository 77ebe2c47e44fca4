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
  try {
    if (!analyzer) throw new Error('analysis worker used before init');
    reply = { type: 'result', id: job.id, result: analyzer.analyze(job) };
  } catch (err) {
    reply = {
      type: 'error',
      id: job.id,
      message: err instanceof Error ? (err.stack ?? err.message) : String(err),
    };
  }
  parentPort?.postMessage(reply);
});
