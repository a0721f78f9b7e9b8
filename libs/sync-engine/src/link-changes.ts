import { EntityManager } from 'typeorm';
import { MappingLinkV1 } from '@timelog-sync/contracts';
import { ParkingLot } from '@timelog-sync/messaging';

/**
 * A new person link releases that person's parked registrations (the admin's fix takes effect without any other
 * action). Project links are handled by the backfill the mapping service requested with them.
 */
export async function onLinkChanged(manager: EntityManager, companyId: string, link: MappingLinkV1 | null): Promise<number> {
  if (!link || link.kind !== 'user') return 0;
  return new ParkingLot(manager).requeue(companyId, `user:${link.forecastPersonId}`);
}
