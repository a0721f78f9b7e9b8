import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { KEYS, TOPICS } from '@timelog-sync/contracts';
import { park } from '@timelog-sync/domain';
import { connectAndMigrate, ensureDatabaseExists } from '@timelog-sync/persistence';
import { testEnvironment, uniqueSuffix } from '@timelog-sync/testing';
import { EventContext } from './event-context';
import { ParkingLot } from './parking-lot';

/** The parking lot's releases on real PostgreSQL. */
describe('parking lot (real PostgreSQL)', () => {
  let dataSource: DataSource;
  let companyId: string;

  beforeAll(async () => {
    await ensureDatabaseExists(testEnvironment.databaseUrl);
    dataSource = await connectAndMigrate({ url: testEnvironment.databaseUrl });
  });
  afterAll(() => dataSource?.destroy());

  beforeEach(async () => {
    companyId = `lot-${uniqueSuffix()}`;
    await dataSource.query(`INSERT INTO company (id, name, status, admin_key_hash, forecast_base_url) VALUES ($1, $1, 'inactive', $2, 'http://127.0.0.1:1')`, [companyId, 'a'.repeat(64)]);
  });

  const parkWhileInactive = (guid: string) =>
    dataSource.transaction(async (manager) => {
      const key = KEYS.work(companyId, guid);
      const context = new EventContext(TOPICS.timelogWorkChanged, 0, '0', key, { eventId: randomUUID(), tenantId: companyId, schemaVersion: 1 }, manager, 1);
      await new ParkingLot(manager).park(context, { companyId, workGuid: guid }, park('company-unavailable', 'the TimeLog integration is not active', 'company'));
    });
  const periodicRetry = () => dataSource.transaction((manager) => new ParkingLot(manager).requeue(null, null, true));
  const open = async () => Number((await dataSource.query(`SELECT count(*) FROM parked_event WHERE company_id = $1 AND resolved_at IS NULL`, [companyId]))[0].count);

  it("releases what was parked while the company was inactive on the periodic retry once it is active again (chaos control run, seed 4242)", async () => {
    await parkWhileInactive(randomUUID());
    await periodicRetry();
    expect(await open()).toBe(1);
    // Re-activated; the event may have been parked just after the activation, so only the periodic retry can see it.
    await dataSource.query(`UPDATE company SET status = 'active' WHERE id = $1`, [companyId]);
    await periodicRetry();
    expect(await open()).toBe(0);
    const [requeued] = await dataSource.query(`SELECT count(*) FROM outbox_message WHERE message_key LIKE $1`, [`${companyId}:%`]);
    expect(Number(requeued.count)).toBe(1);
  });
});
