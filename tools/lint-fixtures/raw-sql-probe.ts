// Probe for the data-access rule (tools/check-boundaries.sh lints it as if it were a file of libs/sync-engine):
// every line marked `forbidden` must be reported, so the rule cannot go quiet unnoticed.
import { DataSource, EntityManager } from 'typeorm';
import { EntityLink } from '@timelog-sync/persistence';

export async function probe(dataSource: DataSource, manager: EntityManager): Promise<void> {
  await dataSource.query('SELECT 1'); // forbidden: raw SQL
  await manager.query('DELETE FROM entity_link'); // forbidden: raw SQL in a transaction
  dataSource.createQueryBuilder(); // forbidden: query builder
  await dataSource.getRepository(EntityLink).findOneBy({ id: '1' }); // forbidden: repository
  await manager.insert(EntityLink, {}); // forbidden: entity-manager write
  await dataSource.manager.update(EntityLink, { id: '1' }, {}); // forbidden: the data source's manager
  await manager.findOneBy(EntityLink, { id: '1' }); // forbidden: entity-manager read
}
