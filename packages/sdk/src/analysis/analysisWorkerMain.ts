// Entry of the analysis worker thread: receives batches of jobs, runs the Analyzer, posts each batch's
// results back as one message.
import { parentPort } from 'node:worker_threads';
import { Analyzer } from './Analyzer.js';
import type { JobReply, WorkerRequest, WorkerResponse } from './protocol.js';

let analyzer: Analyzer | undefined;

parentPort?.on('message', (msg: WorkerRequest) => {
  if (msg.type === 'init') {
    analyzer = new Analyzer(msg.settings);
    return;
  }
  const replies: JobReply[] = [];
  const transfer: ArrayBuffer[] = [];
  for (const job of msg.jobs) {
    try {
      if (!analyzer) throw new Error('analysis worker used before init');
      const result = analyzer.analyze(job);
      replies.push({ type: 'result', id: job.id, result });
      transfer.push(result.gauges.series.buffer as ArrayBuffer, result.gauges.values.buffer as ArrayBuffer);
    } catch (err) {
      replies.push({
        type: 'error',
        id: job.id,
        message: err instanceof Error ? (err.stack ?? err.message) : String(err),
      });
    }
  }
  const reply: WorkerResponse = { type: 'replies', replies };
  parentPort?.postMessage(reply, transfer);
});
