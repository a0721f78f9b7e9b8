import { ExternalCallError, park, refusesCredentials } from '@timelog-sync/domain';
import { CompanyUnavailableError } from '@timelog-sync/company-directory';
import type { SyncContext, SyncTransaction } from './ports';

const OUTAGE_RETRY_MS = 60_000;
const CREDENTIALS_RETRY_MS = 5 * 60_000;
// Attempts the event server makes itself (with backoff) before a company outage parks the event.
const IN_PLACE_ATTEMPTS = 3;

/**
 * Keeps one company's trouble in that company: an outage, back-pressure or refused credentials parks the event
 * (retried on a timer) instead of blocking the partition or dead-lettering valid work. The company's health is marked
 * by the vendor clients themselves (CompanyConnections), on the failed call.
 */
export async function withCompanyIsolation(context: SyncContext, lot: Pick<SyncTransaction, 'park'>, value: unknown, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (error instanceof CompanyUnavailableError) {
      await lot.park(value, park('company-unavailable', error.message, 'company'));
      return;
    }
    if (error instanceof ExternalCallError && error.retryable) {
      // A vendor that asked this company to wait (Retry-After, or a pause after a timeout) is not retried in place:
      // the event waits parked until then, and the partition moves on to the other companies' events.
      const waitMs = error.retryAfterSeconds === undefined ? undefined : error.retryAfterSeconds * 1000;
      if (waitMs === undefined && context.attempt < IN_PLACE_ATTEMPTS) throw error;
      await lot.park(value, park('company-unavailable', `${error.vendor} unavailable: ${error.message}`, null), waitMs ?? OUTAGE_RETRY_MS);
      return;
    }
    if (refusesCredentials(error)) {
      await lot.park(value, park('company-unavailable', `${error.vendor} refused the credentials: ${error.message}`, null), CREDENTIALS_RETRY_MS);
      return;
    }
    throw error;
  }
}
