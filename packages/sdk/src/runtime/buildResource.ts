import {
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GRPO_EXPERIMENT_NAME,
  ATTR_GRPO_RANK,
  ATTR_GRPO_RUN_ID,
  ATTR_GRPO_WORLD_SIZE,
  ATTR_SERVICE_INSTANCE_ID,
} from '@grpo-otel/semconv';
import type { Attributes } from '@opentelemetry/api';
import {
  detectResources,
  hostDetector,
  processDetector,
  type Resource,
  resourceFromAttributes,
} from '@opentelemetry/resources';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import type { ResolvedConfig } from '../config/ResolvedConfig.js';
import { redactAttributes } from '../internal/redactAttributes.js';
import type { StringSanitizer } from '../internal/StringSanitizer.js';
import { SDK_VERSION } from './sdkVersion.js';

/** The process detector's attributes (known at once), for a telemetry thread's resource. */
export function processAttributes(): Attributes {
  return detectResources({ detectors: [processDetector] }).attributes;
}

/**
 * The run's resource: the config's attributes, service name and version, run id, rank and world
 * size, the instance id, and the host and process detectors' attributes (`limits.redact` applied).
 */
export function buildResource(
  config: ResolvedConfig,
  runId: string,
  sanitizer: StringSanitizer,
  processAttributes?: Attributes,
): Resource {
  const r = config.resource;
  const attrs: Record<string, string | number | boolean> = {
    ...r.attributes,
    [ATTR_SERVICE_NAME]:
      r.serviceName ?? (r.attributes[ATTR_SERVICE_NAME] as string | undefined) ?? 'grpo-training',
    [ATTR_SERVICE_VERSION]: (r.attributes[ATTR_SERVICE_VERSION] as string | undefined) ?? SDK_VERSION,
    [ATTR_GRPO_RUN_ID]: runId,
    'telemetry.distro.name': 'grpo-otel',
    'telemetry.distro.version': SDK_VERSION,
  };
  if (r.experiment) attrs[ATTR_GRPO_EXPERIMENT_NAME] = r.experiment;
  if (r.model) attrs[ATTR_GEN_AI_REQUEST_MODEL] = r.model;
  if (r.rank !== undefined) attrs[ATTR_GRPO_RANK] = r.rank;
  if (r.worldSize !== undefined) attrs[ATTR_GRPO_WORLD_SIZE] = r.worldSize;
  // One instance per worker process (semconv: `<run id>-<rank>`): the collector's Prometheus exporter
  // makes it the `instance` label, so the series of the ranks of one run never collide.
  if (attrs[ATTR_SERVICE_INSTANCE_ID] === undefined)
    attrs[ATTR_SERVICE_INSTANCE_ID] = `${runId}-${r.rank ?? 0}`;
  // The process detector's attributes are known at once; `limits.redact` applies to them (a secret
  // passed on the command line would otherwise go out with every export in process.command_args).
  // On a telemetry thread: the training thread's (its process.argv is the program's).
  const processAttrs = processAttributes ?? detectResources({ detectors: [processDetector] }).attributes;
  const detected = detectResources({ detectors: [hostDetector] }).merge(
    resourceFromAttributes(redactAttributes(processAttrs, sanitizer)),
  );
  return detected.merge(resourceFromAttributes(attrs));
}
