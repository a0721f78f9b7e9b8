import type { Side } from './conflict';
import { skip, Skip } from './sync-decisions';

/** What the echo rule looks at, for a change made on one side. */
export interface EchoFacts {
  /** The pair already links both sides (the change is not a first create). */
  paired: boolean;
  /** The content hash the pair last synced. */
  syncedHash: string | null;
  /** The change's content hash; null for a deletion. */
  hash: string | null;
  /**
   * The other side is creating this entity from its own change right now: its create intent committed, its pair not
   * yet (the two directions serialise only once the pair exists).
   */
  createInFlight: boolean;
}

const OTHER: Record<Side, Side> = { forecast: 'timelog', timelog: 'forecast' };
const NAME: Record<Side, string> = { forecast: 'Forecast', timelog: 'TimeLog' };
const IN_FLIGHT: Record<Side, string> = {
  forecast: 'created from TimeLog work whose sync is completing',
  timelog: 'written from a Forecast registration whose sync is completing',
};

/**
 * The echo rule: a change on `changed` is our own write coming back when the pair already synced exactly this
 * content to the other side, or when it is the entity the other side's sync is creating right now. An echo is
 * dropped (and counted), never written back. Deletions are never echoes by content; what a deletion of an already
 * deleted pair means is the planners' call.
 */
export function echoOf(changed: Side, facts: EchoFacts): Skip | null {
  if (!facts.paired) return facts.createInFlight ? skip(IN_FLIGHT[changed], { echo: true }) : null;
  if (facts.hash !== null && facts.syncedHash === facts.hash) return skip(`${NAME[OTHER[changed]]} already has this content`, { echo: true });
  return null;
}
