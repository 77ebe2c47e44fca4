import type { RequirementLevel } from './AttributeDefinition.js';
import type { Stability } from './Stability.js';

/** An attribute used by a span or event, with its requirement level there. */
export interface AttributeRef {
  readonly key: string;
  readonly requirementLevel: RequirementLevel;
  /** When the attribute is conditionally required: the condition. */
  readonly condition?: string;
}

export interface SpanDefinition {
  readonly name: string;
  /** OpenTelemetry span kind; training work is in-process, so `internal`. */
  readonly kind: 'internal';
  readonly description: string;
  /** Name of the span this one is normally a child of, if any. */
  readonly parent?: string;
  readonly attributes: readonly AttributeRef[];
  /** Names of events (see EVENTS) that may be recorded during this span. */
  readonly events: readonly string[];
  readonly stability: Stability;
}

export interface EventDefinition {
  /** Event name (`event.name` on the log record, or the span event name). */
  readonly name: string;
  readonly description: string;
  /** The seed's channel (logger) the event is emitted on. */
  readonly channel: string;
  /** What goes in the log record body, if anything. */
  readonly body?: string;
  readonly attributes: readonly AttributeRef[];
  readonly stability: Stability;
}
