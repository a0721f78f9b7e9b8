import { DataSource } from 'typeorm';
import { CompanyConnections } from '@timelog-sync/company-directory';
import { TimeRegistration, timeEntryHash } from '@timelog-sync/domain';
import { connectAndMigrate, recreateTestDatabase } from '@timelog-sync/persistence';
import { testDatabaseUrl } from '@timelog-sync/testing';
import { TaskProjects } from '@timelog-sync/forecast-client';
import { SafetyNetPoll } from './safety-net-poll';

// What the safety-net poll sends on, judged against the pairs (real PostgreSQL; a Forecast fake that lists what it holds).
describe('the safety-net poll', () => {
  const COMPANY = 'netted';
  const PROJECT = 77;
  // Forecast stamps changes in whole seconds.
  const SECOND = '2026-11-30T10:15:42Z';
  let dataSource: DataSource;
  const registration = (id: number, notes: string): TimeRegistration => ({
    id, personId: 5, target: { kind: 'project', projectId: PROJECT }, roleId: null, phaseId: null, minutes: 30, billableMinutes: 30,
    date: '2026-11-30', notes, approvalStatus: null, createdBy: null, updatedBy: null, createdAt: SECOND, updatedAt: SECOND,
  });
  const held: TimeRegistration[] = [];
  const forecast = {
    listTasksUpdatedAfter: async () => [],
    listTimeRegistrations: async () => held,
    listDeletedTasks: async () => [],
    listDeletedTimeRegistrations: async () => [],
  };
  const connections = { get: async () => ({ forecast, company: { activatedAt: new Date(Date.parse(SECOND) - 60_000) } }), pausedCompanyIds: () => [] } as unknown as CompanyConnections;

  beforeAll(async () => {
    const url = testDatabaseUrl('timelog_sync_test_safety_net');
    await recreateTestDatabase(url);
    dataSource = await connectAndMigrate({ url });
    await dataSource.query(`INSERT INTO company (id, name, status, admin_key_hash, forecast_base_url) VALUES ($1, $1, 'active', repeat('0', 64), 'http://127.0.0.1:9')`, [COMPANY]);
    await dataSource.query(`INSERT INTO project_link (company_id, forecast_project_id, timelog_project_id, sync_from) VALUES ($1, $2, 1, '2026-01-01')`, [COMPANY, PROJECT]);
  });
  afterAll(() => dataSource?.destroy());

  it("sends a registration changed in the second of the version its pair reflects when its content differs (a person's edit right after our write whose webhook was lost), and not one that is that version", async () => {
    const synced = { date: '2026-11-30', minutes: 30, note: 'written by us' };
    for (const [id, guid] of [[301, 'a'], [302, 'b']] as const) {
      await dataSource.query(
        `INSERT INTO entity_link (company_id, kind, forecast_id, timelog_ref, origin, synced_hash, snapshot, forecast_updated_at) VALUES ($1, 'time-registration', $2, $3, 'timelog', $4, $5, $6)`,
        [COMPANY, id, `0000000${guid}-0000-4000-8000-000000000000`, timeEntryHash(synced), JSON.stringify(synced), SECOND],
      );
    }
    held.push(registration(301, 'edited in the same second'), registration(302, 'written by us'));

    await new SafetyNetPoll(dataSource, connections, new TaskProjects(), 30_000).pollCompany(COMPANY);

    const sent = await dataSource.query(`SELECT message_key, value::jsonb->'registration'->>'note' AS note FROM outbox_message WHERE headers->>'tenant-id' = $1`, [COMPANY]);
    expect(sent).toEqual([{ message_key: `${COMPANY}:time-registration:301`, note: 'edited in the same second' }]);
  });
});
