import type { ForecastTaskSnapshotV1, ForecastTimeRegistrationSnapshotV1 } from '@timelog-sync/contracts';
import { KEYS, TOPICS } from '@timelog-sync/contracts';
import type { OutgoingEvent } from '@timelog-sync/persistence';

type Source = 'webhook' | 'poll' | 'backfill' | 'reconciliation';

export function taskChanged(companyId: string, taskId: number, task: ForecastTaskSnapshotV1 | null, source: Source, traceparent?: string): OutgoingEvent<typeof TOPICS.forecastTaskChanged> {
  return {
    topic: TOPICS.forecastTaskChanged,
    key: KEYS.task(companyId, taskId),
    tenantId: companyId,
    traceparent,
    value: { companyId, taskId, change: task ? 'upserted' : 'deleted', source, observedAt: new Date().toISOString(), task },
  };
}

export function registrationChanged(
  companyId: string,
  registrationId: number,
  registration: ForecastTimeRegistrationSnapshotV1 | null,
  source: Source,
  traceparent?: string,
): OutgoingEvent<typeof TOPICS.forecastTimeRegistrationChanged> {
  return {
    topic: TOPICS.forecastTimeRegistrationChanged,
    key: KEYS.timeRegistration(companyId, registrationId),
    tenantId: companyId,
    traceparent,
    value: { companyId, registrationId, change: registration ? 'upserted' : 'deleted', source, observedAt: new Date().toISOString(), registration },
  };
}
