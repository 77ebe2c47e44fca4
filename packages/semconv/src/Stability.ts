/**
 * Maturity of a convention, as in OpenTelemetry semantic conventions: `development` names may still change
 * (with a deprecation note in the changelog); `stable` names change only in a major release.
 */
export type Stability = 'development' | 'stable';
