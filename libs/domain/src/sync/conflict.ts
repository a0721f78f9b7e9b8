import { TimeEntryContent, timeEntryHash } from './time-entry-content';

export type Side = 'forecast' | 'timelog';

export interface SideVersion {
  side: Side;
  content: TimeEntryContent;
  /** When that side last changed it; null when unknown (a TimeLog work read carries none; Reporting's LastModifiedAt does). */
  modifiedAt: string | null;
}

export type ConflictJudgement =
  | { kind: 'apply' }
  | { kind: 'already-equal' }
  | { kind: 'conflict'; winner: Side; loser: SideVersion; winnerVersion: SideVersion };

/**
 * Judges an incoming change against the other side's current content and the last synced snapshot.
 * Only when both sides moved away from the snapshot is it a conflict; then the later modification wins.
 * A side with no modification time is taken as the earlier one: the incoming change is being handled now,
 * so an unseen edit on the other side happened before it.
 */
export function judgeChange(incoming: SideVersion, other: SideVersion | null, snapshot: TimeEntryContent | null): ConflictJudgement {
  if (!other) return { kind: 'apply' };
  const otherHash = timeEntryHash(other.content);
  if (timeEntryHash(incoming.content) === otherHash) return { kind: 'already-equal' };
  if (!snapshot || timeEntryHash(snapshot) === otherHash) return { kind: 'apply' };
  const incomingIsLater = !other.modifiedAt || (incoming.modifiedAt !== null && Date.parse(incoming.modifiedAt) >= Date.parse(other.modifiedAt));
  return incomingIsLater
    ? { kind: 'conflict', winner: incoming.side, loser: other, winnerVersion: incoming }
    : { kind: 'conflict', winner: other.side, loser: incoming, winnerVersion: other };
}

/**
 * A change read from a side before the version the pair already reflects (a parked event retried after a newer one
 * synced, or after we wrote that side): applying it would put old content over new.
 */
export function isSuperseded(changeAt: string | null | undefined, pairReflectsSideAt: string | Date | null | undefined): boolean {
  const age = ageAgainstPair(changeAt, pairReflectsSideAt);
  return age !== null && age < 0;
}

/** A version of one side: when that side stamped it, and the hash of its content. */
export interface StampedVersion {
  at: string | Date | null | undefined;
  hash: string | null;
}

/**
 * A change the pair already reflects, this very version or a later one: sending it again would change nothing.
 * Forecast stamps changes in whole seconds, so a change stamped in the second of the version the pair reflects is
 * that version only when its content is too: a person's edit in the second after our write carries the same stamp.
 */
export function isAlreadySynced(change: StampedVersion, pair: StampedVersion | undefined): boolean {
  const age = ageAgainstPair(change.at, pair?.at);
  if (age === null) return false;
  return age < 0 || (age === 0 && change.hash !== null && change.hash === pair!.hash);
}

/** Milliseconds from the version the pair reflects to the change (negative: older); null when either is unknown. */
function ageAgainstPair(changeAt: string | Date | null | undefined, pairReflectsSideAt: string | Date | null | undefined): number | null {
  if (!changeAt || !pairReflectsSideAt) return null;
  return new Date(changeAt).getTime() - new Date(pairReflectsSideAt).getTime();
}
