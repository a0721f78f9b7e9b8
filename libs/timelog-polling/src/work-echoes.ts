import { EntityManager } from 'typeorm';
import { WorkChangedEvent, toWorkGuid, WorkGuid } from '@timelog-sync/contracts';
import { echoOf, timeEntryHash, workContentOf } from '@timelog-sync/domain';
import { recordSyncActions } from '@timelog-sync/persistence';
import { currentTraceId, syncMetrics } from '@timelog-sync/observability';
import type { ChangeRow } from './work-change-rows';
import type { SyncedWork, UnseenRow } from './work-change-seen';

/** A work unit of ours seen coming back, as audited. */
export interface WorkEcho {
  workGuid: string;
  forecastId: number;
  reason: string;
}

/** A Created row of a work unit the sync already pairs, with the echo it is. */
export type OwnCreations = Map<ChangeRow, WorkEcho>;

/**
 * The Created rows of work units the sync already pairs. TimeLog logs our own InsertWork as Created, and a user's
 * edit of the unit afterwards as an Updated row of its own, so a Created row of a paired unit needs neither a detail
 * read nor an event (nor does the Created row of a user's unit the sync has already paired). During a backfill these
 * are nearly every row, and reading their days' work was most of a poll. Works with a parked event have no pair here.
 */
export function ownCreations(unseen: UnseenRow[]): OwnCreations {
  const own: OwnCreations = new Map();
  for (const { row, pair } of unseen) {
    if (row.kind === 'upserted' && row.action === 'Created' && pair) {
      own.set(row, { workGuid: pair.workGuid, forecastId: pair.forecastId, reason: 'created by the sync (its Created row in the change log)' });
    }
  }
  return own;
}

/**
 * Our own writes coming back in the change log (TimeLog's advice: keep the GUIDs and values written and skip them).
 * Every work unit the writer puts in TimeLog reappears in the next poll, so half of what the poller read was echoes
 * travelling to the writer only to be dropped there. An upsert whose content is what its pair last synced (the
 * writer's echo rule) is dropped here; it and the `known` echoes (own creations) are counted and audited as the
 * writer does; the rest is returned to be emitted. `pairs` are the page's synced pairs as its transaction read them;
 * a work with a parked event has none there and is left to the writer, whose handling of the echo also settles that
 * event.
 */
export async function withoutEchoes(manager: EntityManager, companyId: string, events: WorkChangedEvent[], pairs: Map<WorkGuid, SyncedWork>, known: WorkEcho[] = []): Promise<WorkChangedEvent[]> {
  const upserts = events.flatMap((event) => (event.value?.work ? [{ event, workGuid: toWorkGuid(event.value.workGuid), work: event.value.work }] : []));
  const dropped = new Set<WorkChangedEvent>();
  const echoes = [...known];
  for (const { event, workGuid, work } of upserts) {
    const pair = pairs.get(workGuid);
    const echo = pair ? echoOf('timelog', { paired: true, syncedHash: pair.syncedHash, hash: timeEntryHash(workContentOf(work)), createInFlight: false }) : null;
    if (echo && pair) {
      echoes.push({ workGuid: pair.workGuid, forecastId: pair.forecastId, reason: echo.reason });
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
