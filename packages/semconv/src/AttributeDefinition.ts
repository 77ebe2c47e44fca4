import type { Stability } from './Stability.js';

/** Attribute value types, as in the OpenTelemetry attribute registry. */
export type AttributeType = 'string' | 'int' | 'double' | 'boolean' | 'string[]' | 'int[]' | 'double[]';

/**
 * OpenTelemetry requirement levels
 * (https://opentelemetry.io/docs/specs/semconv/general/attribute-requirement-level/).
 */
export type RequirementLevel = 'required' | 'conditionally_required' | 'recommended' | 'opt_in';

export type AttributeExample = string | number | boolean | readonly string[] | readonly number[];

export interface AttributeDefinition {
  /** The attribute key, e.g. `grpo.reward.function`. */
  readonly key: string;
  readonly type: AttributeType;
  readonly description: string;
  readonly examples: readonly AttributeExample[];
  /** Default requirement level; a span or event may override it in its attribute reference. */
  readonly requirementLevel: RequirementLevel;
  readonly stability: Stability;
  /** True when the key is defined by OpenTelemetry semantic conventions and reused here unchanged. */
  readonly reused: boolean;
  /** True when the attribute describes the whole run and belongs on the OpenTelemetry Resource. */
  readonly resource: boolean;
  /**
   * False for attributes whose values are unbounded (steps, ids, free text): they may appear on spans,
   * events and logs, never on metrics (every distinct value would be a new time series).
   */
  readonly metricSafe: boolean;
  /** Well-known values (value -> meaning), when the attribute is an enumeration. */
  readonly values?: Readonly<Record<string, string>>;
  readonly note?: string;
}
