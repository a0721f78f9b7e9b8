import { PARK_REASON_CODES, VENDORS } from '@timelog-sync/domain';
import { initialiseCounter, syncMetrics } from '@timelog-sync/observability';

/**
 * The writer's counters start at 0 for every label value it can emit, so the first parked event of a reason is an
 * increase an alert sees, and panels show 0 rather than "No data".
 */
export function initialiseSyncCounters(): void {
  initialiseCounter(syncMetrics.eventsParked, PARK_REASON_CODES.map((reason) => ({ reason })));
  initialiseCounter(syncMetrics.echoDrops, [{ direction: 'forecast-to-timelog' }, { direction: 'timelog-to-forecast' }]);
  initialiseCounter(syncMetrics.conflicts, VENDORS.map((winner) => ({ winner })));
}
