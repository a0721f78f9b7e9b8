import { EntityManager } from 'typeorm';
import { Park } from '@timelog-sync/domain';
import { parkEvent, requeueParkedEvents } from '@timelog-sync/persistence';
import { syncMetrics } from '@timelog-sync/observability';
import { EventContext } from './event-context';

/**
 * Events that cannot be applied yet wait here with their reason, whole, so nothing is lost. Only the newest
 * event per entity stays parked (it supersedes older ones: every event carries the full current state).
 */
export class ParkingLot {
  constructor(private readonly manager: EntityManager) {}

  async park(context: EventContext, value: unknown, decision: Park, retryAfterMs: number | null = null): Promise<void> {
    await parkEvent(this.manager, {
      companyId: context.companyId,
      topic: context.topic,
      messageKey: context.key ?? '',
      value,
      headers: { 'tenant-id': context.headers.tenantId, 'schema-version': String(context.headers.schemaVersion), ...(context.headers.traceparent ? { traceparent: context.headers.traceparent } : {}) },
      reasonCode: decision.reasonCode,
      reason: decision.reason,
      waitingFor: decision.waitingFor,
      retryAfterMs,
    });
    syncMetrics.eventsParked.inc({ reason: decision.reasonCode });
  }

  /**
   * Sends parked events back through their topic (new event ids, same content) and marks them requeued.
   * `waitingFor` null requeues everything of the company (the admin's retry button); `companyId` null with
   * `onlyDue` is the periodic retry of time-bound reasons (closed weeks, outages) across companies, and of events
   * parked while their company was inactive once it is active again (a writer may park one just after the
   * re-activation, so the activation itself cannot be the only release); `parkedId` one item.
   */
  async requeue(companyId: string | null, waitingFor: string | null, onlyDue = false, parkedId: string | null = null): Promise<number> {
    return requeueParkedEvents(this.manager, { companyId, waitingFor, onlyDue, parkedId });
  }
}

/** The parked item waits for this to go: resuming the company or the project releases exactly these. */
export const pauseWaitingFor = (forecastProjectId: number | null) => (forecastProjectId ? `pause:project:${forecastProjectId}` : 'pause:company');
