import type { ForecastTaskSnapshotV1 } from './events/forecast-task-changed';
import type { ForecastTimeRegistrationSnapshotV1 } from './events/forecast-time-registration-changed';
import type { TimelogWorkSnapshotV1 } from './events/timelog-work-changed';
import { KEYS } from './keys';
import type { EventValue } from './registry';
import { TOPICS, TopicName } from './topics';
import { toWorkGuid } from './work-guid';

/** One change event as services hand it to their outbox: the contract's value, its key and tenant, and trace context. */
export interface OutgoingEvent<T extends TopicName> {
  topic: T;
  key: string;
  value: EventValue<T> | null;
  tenantId: string;
  traceparent?: string;
  /** Give a stable id when the same logical event may be enqueued twice (e.g. a replay). */
  eventId?: string;
}

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

export type WorkChangedEvent = OutgoingEvent<typeof TOPICS.timelogWorkChanged>;

export function workChanged(
  companyId: string,
  workGuid: string,
  actionDate: string,
  work: TimelogWorkSnapshotV1 | null,
  source: 'poll' | 'reconciliation',
  traceparent?: string,
): WorkChangedEvent {
  return {
    topic: TOPICS.timelogWorkChanged,
    key: KEYS.work(companyId, workGuid),
    tenantId: companyId,
    traceparent,
    value: { companyId, workGuid: toWorkGuid(workGuid), change: work ? 'upserted' : 'deleted', source, observedAt: new Date().toISOString(), actionDate, work },
  };
}
