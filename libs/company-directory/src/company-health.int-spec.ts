import { DataSource } from 'typeorm';
import { connectAndMigrate, ensureDatabaseExists } from '@timelog-sync/persistence';
import { testEnvironment, uniqueSuffix } from '@timelog-sync/testing';
import { ExternalCallError } from '@timelog-sync/domain';
import { CompanyHealth, healthSubjectOf } from './company-health';

describe('CompanyHealth: per-vendor state machine with an activity entry per change (real PostgreSQL)', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    await ensureDatabaseExists(testEnvironment.databaseUrl);
    dataSource = await connectAndMigrate({ url: testEnvironment.databaseUrl });
  });
  afterAll(() => dataSource?.destroy());

  async function company(): Promise<string> {
    const companyId = `health-${uniqueSuffix()}`;
    await dataSource.query(`INSERT INTO company (id, name, status, admin_key_hash, forecast_base_url) VALUES ($1, $1, 'active', $2, 'http://127.0.0.1:1')`, [companyId, 'a'.repeat(64)]);
    return companyId;
  }
  const conditions = async (companyId: string) =>
    (await dataSource.query(`SELECT vendor, condition FROM company_health WHERE company_id = $1 ORDER BY vendor`, [companyId])) as { vendor: string; condition: string }[];
  const changes = async (companyId: string) =>
    ((await dataSource.query(`SELECT before, after FROM sync_action WHERE company_id = $1 AND action = 'health-changed' ORDER BY id`, [companyId])) as { before: any; after: any }[]).map(
      (row) => `${row.before.vendor}: ${row.before.condition} -> ${row.after.condition}`,
    );
  const summary = async (companyId: string) => (await dataSource.query(`SELECT health FROM company WHERE id = $1`, [companyId]))[0].health;

  it("clears a refusal another process recorded when forced, although this process saw the vendor succeed moments ago (activation's live check)", async () => {
    const companyId = await company();
    const mappingService = new CompanyHealth(dataSource);
    const poller = new CompanyHealth(dataSource);
    await mappingService.recordSuccess(companyId, 'timelog');
    await poller.observe(companyId, 'timelog', { ok: false, error: new ExternalCallError('timelog', 'GetToken', 'permanent', 'Login failed: unknown user or wrong password', '10400') });
    // Without force the recent success in memory skips the write, and the refusal stays.
    await mappingService.recordSuccess(companyId, 'timelog');
    expect(await summary(companyId)).toBe('credentials-failing');
    await mappingService.recordSuccess(companyId, 'timelog', { force: true });
    expect(await summary(companyId)).toBe('ok');
  });

  it('keeps refused credentials through an outage and repeated refusals; only a successful call to that vendor clears them', async () => {
    const companyId = await company();
    const health = new CompanyHealth(dataSource);
    const refused = new ExternalCallError('timelog', 'GetToken', 'permanent', 'Login failed: unknown user or wrong password', '10400');
    const down = new ExternalCallError('timelog', 'GetWorkChangeLogPaged', 'retryable', 'HTTP 503', 'http-503');

    await health.observe(companyId, 'timelog', { ok: false, error: down });
    expect(await summary(companyId)).toBe('unavailable');
    await health.observe(companyId, 'timelog', { ok: false, error: refused });
    await health.observe(companyId, 'timelog', { ok: false, error: refused });
    await health.observe(companyId, 'timelog', { ok: false, error: down });
    // Forecast answering says nothing about TimeLog's credentials.
    await health.observe(companyId, 'forecast', { ok: true });
    expect(await conditions(companyId)).toEqual([{ vendor: 'timelog', condition: 'credentials-refused' }]);
    expect(await summary(companyId)).toBe('credentials-failing');

    await health.observe(companyId, 'timelog', { ok: true });
    expect(await conditions(companyId)).toEqual([]);
    expect(await summary(companyId)).toBe('ok');
    expect(await changes(companyId)).toEqual(['timelog: ok -> vendor-down', 'timelog: vendor-down -> credentials-refused', 'timelog: credentials-refused -> ok']);
  });

  it('ignores failures that say nothing about the company (a missing object, a rate limit)', async () => {
    const companyId = await company();
    const health = new CompanyHealth(dataSource);
    await health.observe(companyId, 'forecast', { ok: false, error: new ExternalCallError('forecast', 'getTask', 'permanent', 'HTTP 404: not found', '404') });
    await health.observe(companyId, 'forecast', { ok: false, error: new ExternalCallError('forecast', 'getTask', 'retryable', 'HTTP 429', '429') });
    expect(await conditions(companyId)).toEqual([]);
    expect(await changes(companyId)).toEqual([]);
  });

  it('keeps a refused Reporting API password although the transactional API, with its own password, answers', async () => {
    const companyId = await company();
    const health = new CompanyHealth(dataSource);
    const refused = new ExternalCallError('timelog', 'GetWorkUnitsRaw', 'permanent', 'HTTP 401: credentials refused', 'http-401');

    await health.observe(companyId, healthSubjectOf('timelog', 'getWorkUnitsRaw'), { ok: false, error: refused });
    await health.observe(companyId, healthSubjectOf('timelog', 'insertWork'), { ok: true });
    expect(await conditions(companyId)).toEqual([{ vendor: 'timelog-reporting', condition: 'credentials-refused' }]);

    await health.observe(companyId, healthSubjectOf('timelog', 'getEmployeesRaw'), { ok: true });
    expect(await conditions(companyId)).toEqual([]);
  });
});
