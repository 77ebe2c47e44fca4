import type { HrTime } from '@opentelemetry/api';
import type { AnyValue, LogAttributes, SeverityNumber } from '@opentelemetry/api-logs';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';

export interface FakeRecordInit {
  attributes?: LogAttributes;
  body?: AnyValue;
  hrTime?: HrTime;
  severityNumber?: SeverityNumber;
  severityText?: string;
  scope?: string;
}

/** A ReadableLogRecord with only what the CSV exporter reads. */
export function fakeRecord(init: FakeRecordInit = {}): ReadableLogRecord {
  const hrTime = init.hrTime ?? [1_714_566_896, 789_123_456];
  return {
    hrTime,
    hrTimeObserved: hrTime,
    attributes: init.attributes ?? {},
    body: init.body,
    severityNumber: init.severityNumber,
    severityText: init.severityText,
    instrumentationScope: { name: init.scope ?? 'model_outputs' },
    droppedAttributesCount: 0,
    resource: {} as ReadableLogRecord['resource'],
  };
}
