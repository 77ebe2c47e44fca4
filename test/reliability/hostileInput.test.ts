// The hostile-input properties at full length: with GRPO_RELIABILITY=1 (set by the reliability
// suite) they run 10x the cases of the default run (see docs/reliability.md, "Hostile input").
import '../../packages/sdk/test/hostileInput.test.js';
import '../../packages/metrics/test/hostileInput.test.js';
