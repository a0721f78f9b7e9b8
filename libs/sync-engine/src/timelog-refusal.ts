import { ParkReasonCode } from '@timelog-sync/domain';

export type RefusalKind = 'closed-week' | 'not-allocated' | 'already-exists' | 'not-found' | 'other';

/**
 * TimeLog documents only error code 10002; refusals are told apart by their message. Kept in one place so a
 * live sandbox's real messages can be added here.
 */
export function classifyTimeLogRefusal(message: string): RefusalKind {
  if (/closed|IsEditable\s*=\s*false|approved/i.test(message)) return 'closed-week';
  if (/not allocated/i.test(message)) return 'not-allocated';
  if (/already exists/i.test(message)) return 'already-exists';
  if (/not (been )?found|does not exist/i.test(message)) return 'not-found';
  return 'other';
}

export const parkReasonFor = (kind: RefusalKind): ParkReasonCode => (kind === 'closed-week' ? 'closed-week' : 'timelog-validation');

/** A refusal that parking cannot fix: it goes to the DLQ with TimeLog's message. */
export class PermanentSyncFailure extends Error {
  readonly retryable = false;

  constructor(message: string) {
    super(message);
    this.name = 'PermanentSyncFailure';
  }
}
