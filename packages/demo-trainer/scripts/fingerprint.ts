// Prints the fingerprint of a short demo run with a fixed seed: its TensorBoard scalars and
// model-output CSV, without what varies from run to run (see test/support/demoFingerprint.ts).
// `--write` stores it as the fixture test/fingerprint.test.ts compares against: do that only when a
// change is meant to change the demo's numbers, and say why in the commit.
//   node --conditions=source --import tsx packages/demo-trainer/scripts/fingerprint.ts [--write]
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { demoFingerprint } from '../test/support/demoFingerprint.js';

const fixture = fileURLToPath(new URL('../test/fixtures/fingerprint.txt', import.meta.url));
const fingerprint = await demoFingerprint();
if (process.argv.includes('--write')) {
  writeFileSync(fixture, fingerprint);
  console.error(`wrote ${fixture}`);
} else {
  process.stdout.write(fingerprint);
}
