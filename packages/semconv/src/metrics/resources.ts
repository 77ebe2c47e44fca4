import { ATTR_GRPO_MEMORY_POOL, ATTR_V8JS_HEAP_SPACE_NAME } from '../attributeKeys.js';
import { defineMetric } from '../internal/define.js';

const REUSED = 'Defined by OpenTelemetry semantic conventions and reused unchanged';

/** Memory and efficiency. Process and runtime metrics reuse OpenTelemetry's names and units. */
export const RESOURCE_METRICS = {
  processMemoryUsage: defineMetric({
    name: 'process.memory.usage',
    instrument: 'observable_updowncounter',
    unit: 'By',
    valueType: 'int',
    category: 'resources',
    reused: true,
    description: 'The amount of physical memory in use (resident set size).',
    note: `${REUSED} (an UpDownCounter); recorded by \`@opentelemetry/host-metrics\`.`,
  }),
  v8jsMemoryHeapUsed: defineMetric({
    name: 'v8js.memory.heap.used',
    instrument: 'observable_updowncounter',
    unit: 'By',
    valueType: 'int',
    category: 'resources',
    attributes: [ATTR_V8JS_HEAP_SPACE_NAME],
    reused: true,
    description: 'Heap memory size allocated, per V8 heap space.',
    note: `${REUSED} (an UpDownCounter); recorded by the OpenTelemetry Node.js runtime instrumentation.`,
  }),
  v8jsMemoryHeapLimit: defineMetric({
    name: 'v8js.memory.heap.limit',
    instrument: 'observable_updowncounter',
    unit: 'By',
    valueType: 'int',
    category: 'resources',
    attributes: [ATTR_V8JS_HEAP_SPACE_NAME],
    reused: true,
    description: 'Total heap memory size pre-allocated, per V8 heap space.',
    note: `${REUSED} (an UpDownCounter); recorded by the OpenTelemetry Node.js runtime instrumentation.`,
  }),
  nodejsEventloopUtilization: defineMetric({
    name: 'nodejs.eventloop.utilization',
    instrument: 'observable_gauge',
    unit: '1',
    category: 'resources',
    reused: true,
    description: 'Event loop utilization.',
    note:
      `${REUSED}; recorded by the OpenTelemetry Node.js runtime instrumentation. Near 1: the training ` +
      'loop starves timers and exporters.',
  }),
  memoryPeakUsage: defineMetric({
    name: 'grpo.memory.peak_usage',
    instrument: 'observable_gauge',
    unit: 'By',
    valueType: 'int',
    category: 'resources',
    attributes: [ATTR_GRPO_MEMORY_POOL],
    description: 'Highest memory use since the process started, per pool.',
    note: 'Average use comes from the usage metrics over time (`avg_over_time`).',
  }),
  tfjsMemoryUsage: defineMetric({
    name: 'grpo.tfjs.memory.usage',
    instrument: 'observable_updowncounter',
    unit: 'By',
    valueType: 'int',
    category: 'resources',
    description: 'Bytes held by TensorFlow.js tensors (`tf.memory().numBytes`).',
    note: 'A value that only grows between steps means tensors are leaking (missing `tf.tidy`/`dispose`).',
  }),
  tfjsTensorCount: defineMetric({
    name: 'grpo.tfjs.tensor.count',
    instrument: 'observable_updowncounter',
    unit: '{tensor}',
    valueType: 'int',
    category: 'resources',
    description: 'Live TensorFlow.js tensors (`tf.memory().numTensors`).',
  }),
  efficiencyRewardGain: defineMetric({
    name: 'grpo.efficiency.reward_gain',
    instrument: 'gauge',
    unit: '{reward}/h',
    category: 'resources',
    description:
      'Improvement of the moving-average total reward since the start of the run, per hour of training.',
    note: 'Computation-to-performance: falling towards 0 means more compute buys no more reward.',
  }),
  efficiencyCpuRewardGain: defineMetric({
    name: 'grpo.efficiency.cpu_reward_gain',
    instrument: 'gauge',
    unit: '{reward}/s',
    category: 'resources',
    description:
      'Improvement of the moving-average total reward since the start of the run, per CPU-second the training process used.',
    note: 'Computation-to-performance in CPU time (user + system, all threads), so it is comparable across machines with different core counts.',
  }),
  efficiencyTokenCost: defineMetric({
    name: 'grpo.efficiency.token_cost',
    instrument: 'gauge',
    unit: '{token}/{reward}',
    category: 'resources',
    description:
      'Tokens processed since the start of the run per unit of moving-average total reward gained.',
    note: 'Computation-to-performance, in tokens. Not reported until the reward has improved.',
  }),
} as const;
