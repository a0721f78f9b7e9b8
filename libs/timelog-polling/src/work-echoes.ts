import { EntityManager } from 'typeorm';
import { WorkChangedEvent, toWorkGuid } from '@timelog-sync/contracts';
import { echoOf, timeEntryHash, workContentOf } from '@timelog-sync/domain';
import { recordSyncActions, syncedWorkPairs } from '@timelog-sync/persistence';
import { currentTraceId, syncMetrics } from '@timelog-sync/observability';

/**
 * Our own writes coming back in the change log (TimeLog's advice: keep the GUIDs and values written and skip them).
 * Every work unit the writer puts in TimeLog reappears in the next poll, so half of what the poller read was echoes
 * travelling to the writer only to be dropped there. An upsert whose content is what its pair last synced (the
 * writer's echo rule) is dropped here, counted and audited as the writer does; the rest is returned to be emitted.
 * A work with a parked event is left to the writer, whose handling of the echo also settles that event.
 */
export async function withoutEchoes(manager: EntityManager, companyId: string, events: WorkChangedEvent[]): Promise<WorkChangedEvent[]> {
  const upserts = events.flatMap((event) => (event.value?.work ? [{ event, workGuid: toWorkGuid(event.value.workGuid), work: event.value.work }] : []));
  if (upserts.length === 0) return events;
  const rows = await syncedWorkPairs(manager, companyId, upserts.map(({ workGuid }) => workGuid), upserts.map(({ event }) => event.key));
  const pairs = new Map(rows.map((row) => [toWorkGuid(row.work_guid), row]));
  const dropped = new Set<WorkChangedEvent>();
  const echoes: { workGuid: string; forecastId: number; reason: string }[] = [];
  for (const { event, workGuid, work } of upserts) {
    const pair = pairs.get(workGuid);
    const echo = pair ? echoOf('timelog', { paired: true, syncedHash: pair.synced_hash, hash: timeEntryHash(workContentOf(work)), createInFlight: false }) : null;
    if (echo && pair) {
      echoes.push({ workGuid: pair.work_guid, forecastId: Number(pair.forecast_id), reason: echo.reason });
      dropped.add(event);
    }
  }
  if (echoes.length > 0) {
    const traceId = currentTraceId();
    await recordSyncActions(
      manager,
      echoes.map(({ workGuid, forecastId, reason }) => ({
        companyId, direction: 'timelog-to-forecast', entityKind: 'time-registration', timelogRef: workGuid, forecastId, action: 'echo-dropped', reason, traceId,
      })),
    );
    syncMetrics.echoDrops.inc({ direction: 'timelog-to-forecast' }, echoes.length);
  }
  return events.filter((event) => !dropped.has(event));
}
