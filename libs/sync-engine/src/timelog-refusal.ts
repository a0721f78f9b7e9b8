import { BatchItemResult, ParkReasonCode } from '@timelog-sync/domain';

export type RefusalKind = 'closed-week' | 'not-allocated' | 'already-exists' | 'unknown-employee' | 'not-found' | 'other';

/** One item TimeLog refused, whichever shape the refusal took (per-item container or the whole envelope). */
export type TimeLogRefusal = Extract<BatchItemResult<unknown>, { ok: false }>;

/**
 * TimeLog documents only error code 10002 (initials null or empty); refusals are told apart by their message. Kept in
 * one place so a live sandbox's real messages can be added here.
 */
export function classifyTimeLogRefusal({ message, code }: Pick<TimeLogRefusal, 'message' | 'code'>): RefusalKind {
  if (/closed|IsEditable\s*=\s*false|approved/i.test(message)) return 'closed-week';
  if (/not allocated/i.test(message)) return 'not-allocated';
  if (/already exists/i.test(message)) return 'already-exists';
  if (code === 10002 || /^Initials, was null or empty|^Employee\b.*\bnot (been )?found|unknown (employee|initials)/i.test(message)) return 'unknown-employee';
  if (/not (been )?found|does not exist/i.test(message)) return 'not-found';
  return 'other';
}

export const parkReasonFor = (kind: RefusalKind): ParkReasonCode => (kind === 'closed-week' ? 'closed-week' : 'timelog-validation');

/** TimeLog's words with the shape they came in, for the parked reason, the audit row and the DLQ entry. */
export function describeRefusal(refusal: TimeLogRefusal): string {
  const where = refusal.shape === 'envelope' ? 'the whole call (envelope ' : 'the item (';
  return `TimeLog refused ${where}${refusal.status}${refusal.code ? ` ${refusal.code}` : ''}): ${refusal.message}`;
}

/** A refusal that parking cannot fix: it goes to the DLQ with TimeLog's message. */
export class PermanentSyncFailure extends Error {
  readonly retryable = false;

  constructor(message: string) {
    super(message);
    this.name = 'PermanentSyncFailure';
  }
}
