// Reads a log directory with our reader and prints {scalars, histograms, checksum, issues} as JSON:
// run.mjs uses it to check that both writers wrote the same workload.
import { readEvents } from '../../packages/exporter-tensorboard/src/index.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: verify.ts <logdir>');
let scalars = 0;
let histograms = 0;
let checksum = 0;
let issues = 0;
for (const f of await readEvents(dir)) {
  issues += f.issues.length;
  for (const e of f.events)
    for (const v of e.values) {
      if (v.kind === 'scalar') {
        scalars++;
        checksum += v.value;
      } else if (v.kind === 'histogram') histograms++;
    }
}
process.stdout.write(`${JSON.stringify({ scalars, histograms, checksum, issues })}\n`);
