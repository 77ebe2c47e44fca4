import type { AttributeDefinition } from '../AttributeDefinition.js';
import type { MetricDefinition } from '../MetricDefinition.js';

type Optional<T, K extends keyof T> = Omit<T, K> & Partial<Pick<T, K>>;

export type AttributeInit = Optional<
  AttributeDefinition,
  'requirementLevel' | 'stability' | 'reused' | 'resource' | 'metricSafe'
>;

/** Fills the common defaults of an attribute definition (recommended, development, GRPO-owned). */
export function defineAttribute(init: AttributeInit): AttributeDefinition {
  return {
    requirementLevel: 'recommended',
    stability: 'development',
    reused: false,
    resource: false,
    metricSafe: true,
    ...init,
  };
}

export type MetricInit<N extends string> = Optional<
  MetricDefinition,
  'valueType' | 'attributes' | 'stability' | 'reused'
> & { readonly name: N };

/**
 * Fills the common defaults of a metric definition (double, no attributes, development, GRPO-owned)
 * and keeps the literal name type, so `MetricName` is a union of every defined name.
 */
export function defineMetric<const N extends string>(
  init: MetricInit<N>,
): MetricDefinition & { readonly name: N } {
  return {
    valueType: 'double',
    attributes: [],
    stability: 'development',
    reused: false,
    ...init,
  };
}
