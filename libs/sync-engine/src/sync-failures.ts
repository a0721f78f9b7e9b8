import { EntityManager } from 'typeorm';
import { ExternalCallError, park } from '@timelog-sync/domain';
import { CompanyUnavailableError } from '@timelog-sync/company-directory';
import { EventContext } from '@timelog-sync/messaging';
import { Company } from '@timelog-sync/persistence';
import { ParkingLot } from './parking-lot';

const OUTAGE_RETRY_MS = 60_000;
const CREDENTIALS_RETRY_MS = 5 * 60_000;
// Attempts the event server makes itself (with backoff) before a company outage parks the event.
const IN_PLACE_ATTEMPTS = 3;

const refusesCredentials = (error: ExternalCallError) => ['401', '403', '10400', '10401'].includes(error.code ?? '');

/**
 * Keeps one company's trouble in that company: an outage, back-pressure or refused credentials parks the event
 * (retried on a timer) and marks the company's health, instead of blocking the partition or dead-lettering valid work.
 */
export async function withCompanyIsolation(context: EventContext, value: unknown, work: () => Promise<void>): Promise<void> {
  try {
    await work();
    await markHealthy(context.manager, context.companyId);
  } catch (error) {
    const lot = new ParkingLot(context.manager);
    if (error instanceof CompanyUnavailableError) {
      await lot.park(context, value, park('company-unavailable', error.message, 'company'));
      return;
    }
    if (error instanceof ExternalCallError && error.retryable) {
      // A vendor that asked this company to wait (Retry-After, or a pause after a timeout) is not retried in place:
      // the event waits parked until then, and the partition moves on to the other companies' events.
      const waitMs = error.retryAfterSeconds === undefined ? undefined : error.retryAfterSeconds * 1000;
      if (waitMs === undefined && context.attempt < IN_PLACE_ATTEMPTS) throw error;
      await lot.park(context, value, park('company-unavailable', `${error.vendor} unavailable: ${error.message}`, null), waitMs ?? OUTAGE_RETRY_MS);
      await markCompany(context.manager, context.companyId, 'unavailable', `${error.vendor} ${error.operation}: ${error.message}`);
      return;
    }
    if (error instanceof ExternalCallError && refusesCredentials(error)) {
      await lot.park(context, value, park('company-unavailable', `${error.vendor} refused the credentials: ${error.message}`, null), CREDENTIALS_RETRY_MS);
      await markCompany(context.manager, context.companyId, 'credentials-failing', `${error.vendor} refused the credentials`);
      return;
    }
    throw error;
  }
}

// Companies this process last saw succeed: a success then needs no write (the hot path stays one query shorter).
// Another instance that marks a company unhealthy is corrected by that instance's own next success.
const knownHealthy = new Set<string>();

async function markCompany(manager: EntityManager, companyId: string, health: 'unavailable' | 'credentials-failing', reason: string) {
  knownHealthy.delete(companyId);
  await manager.update(Company, { id: companyId }, { health, healthReason: reason });
}

async function markHealthy(manager: EntityManager, companyId: string) {
  if (knownHealthy.has(companyId)) return;
  await manager.query(`UPDATE company SET health = 'ok', health_reason = NULL WHERE id = $1 AND health <> 'ok'`, [companyId]);
  knownHealthy.add(companyId);
}
