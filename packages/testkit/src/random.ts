// The one seeded PRNG of the repository, for repeatable test and benchmark data. It lives in
// @grpo-otel/metrics because the demo trainer samples with it at run time.
export { mulberry32 } from '@grpo-otel/metrics';
