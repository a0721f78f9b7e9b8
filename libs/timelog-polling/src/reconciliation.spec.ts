import type { DataSource } from 'typeorm';
import type { ReportedWork, Work } from '@timelog-sync/domain';
import type { CompanyConnection } from '@timelog-sync/company-directory';
import { Reconciliation } from './reconciliation';

const reported = (guid: string, overrides: Partial<ReportedWork> = {}): ReportedWork => ({
  workUnitId: 1, timeRegistrationGuid: guid, workUnitGuid: 'ffffffff-0000-4000-8000-000000000000', employeeId: 2, employeeInitials: 'JD', userId: 100002,
  taskId: 100, projectId: 10, date: '2026-03-09', minutes: 61, note: 'n', lastModifiedAt: '2026-03-09T10:00:00', lastModifiedByEmployeeId: 2, ...overrides,
});
const work = (guid: string): Work => ({ guid, taskId: 100, employeeInitials: 'JD', startDateTime: '2026-03-09T00:00:00', minutes: 61, description: 'Endpoints', isEditable: false, projectId: 10 });

const LINKED = 'aaaaaaaa-0000-4000-8000-000000000001';
const UNLINKED_USER = 'aaaaaaaa-0000-4000-8000-000000000002';
const MODIFIED_LONG_AGO = 'aaaaaaaa-0000-4000-8000-000000000003';
const GONE_FROM_PM = 'aaaaaaaa-0000-4000-8000-000000000004';

describe('reconciliation', () => {
  it('re-emits upserts for recently modified work of linked projects by linked users, and never a delete', async () => {
    const inserted: any[] = [];
    const dataSource = {
      query: async (sql: string) => (sql.includes('project_link') ? [{ timelog_project_id: 10 }] : [{ timelog_initials: 'jd' }]),
      // The outbox insert takes its rows as column arrays: topics, keys, values, headers.
      transaction: async (work: (manager: unknown) => Promise<void>) =>
        work({ query: async (_sql: string, [, keys, values]: string[][]) => keys.forEach((messageKey, index) => inserted.push({ messageKey, value: values[index] })) }),
    } as unknown as DataSource;
    const workUnitQueries: unknown[] = [];
    const timelog = {
      getWorkUnitsRaw: async (query: unknown) => {
        workUnitQueries.push(query);
        return [
          reported(LINKED),
          reported(UNLINKED_USER, { employeeInitials: 'NA' }),
          reported(MODIFIED_LONG_AGO, { lastModifiedAt: '2026-01-01T10:00:00' }),
          reported(GONE_FROM_PM),
        ];
      },
      getEmployeeWork: async (initials: string) => (initials === 'JD' ? [work(LINKED), work(MODIFIED_LONG_AGO)] : []),
    };
    const connections = { get: async () => ({ timelog }) as unknown as CompanyConnection, activeCompanyIds: async () => ['acme'] };

    const emitted = await new Reconciliation(dataSource, connections, 7).reconcileCompany('acme', new Date('2026-03-10T12:00:00Z'));

    expect(workUnitQueries).toEqual([{ projectId: 10, from: '2026-03-03', to: '2026-03-11' }]);
    expect(emitted).toBe(1);
    expect(inserted.map((row) => [row.messageKey, JSON.parse(row.value)])).toEqual([
      [`acme:work:${LINKED}`, expect.objectContaining({ change: 'upserted', source: 'reconciliation', actionDate: '2026-03-09T10:00:00', work: expect.objectContaining({ minutes: 61, isEditable: false }) })],
    ]);
  });

  it('reconciles companies side by side: a company whose TimeLog hangs delays no other', async () => {
    const dataSource = {
      query: async (sql: string) => (sql.includes('project_link') ? [{ timelog_project_id: 10 }] : [{ timelog_initials: 'jd' }]),
      transaction: async (work: (manager: unknown) => Promise<void>) => work({ query: async () => undefined }),
      createQueryRunner: () => ({ connect: async () => undefined, release: async () => undefined, query: async () => [{ locked: true }] }),
    } as unknown as DataSource;
    let answerSlow!: () => void;
    const slowAnswered = new Promise<void>((resolve) => (answerSlow = resolve));
    const reconciled: string[] = [];
    const timelogOf = (companyId: string) => ({
      getWorkUnitsRaw: async () => {
        if (companyId === 'slow') await slowAnswered;
        reconciled.push(companyId);
        return [];
      },
      getEmployeeWork: async () => [],
    });
    const connections = { get: async (companyId: string) => ({ timelog: timelogOf(companyId) }) as unknown as CompanyConnection, activeCompanyIds: async () => ['slow', 'quick'] };

    const all = new Reconciliation(dataSource, connections, 7).reconcileAll();
    for (let turn = 0; turn < 50 && !reconciled.includes('quick'); turn++) await new Promise((resolve) => setImmediate(resolve));
    expect(reconciled).toEqual(['quick']);
    answerSlow();
    expect(await all).toEqual([]);
    expect(reconciled).toEqual(['quick', 'slow']);
  });
});
