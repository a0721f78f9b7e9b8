import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CompanyConnections, CredentialVault } from '@timelog-sync/company-directory';
import { CredentialCipher } from '@timelog-sync/crypto';
import { Company, connectAndMigrate, ensureDatabaseExists } from '@timelog-sync/persistence';
import { httpJson, pollUntil, testEnvironment, uniqueSuffix } from '@timelog-sync/testing';
import { RunningTimeLogSimulator, startTimeLogSimulator } from '../../../apps/timelog-simulator/src/simulator';
import { KEYS } from '@timelog-sync/contracts';
import { timeEntryHash } from '@timelog-sync/domain';
import { ChangeLogPoll } from './change-log-poll';
import { PollStates } from './poll-state';

const today = () => new Date().toISOString().slice(0, 10);

describe('TimeLog change-log poll (real PostgreSQL and the TimeLog simulator)', () => {
  let simulator: RunningTimeLogSimulator;
  let dataSource: DataSource;
  let connections: CompanyConnections;
  let vault: CredentialVault;
  let states: PollStates;
  let poll: ChangeLogPoll;

  beforeAll(async () => {
    simulator = await startTimeLogSimulator({ port: 0 });
    await ensureDatabaseExists(testEnvironment.databaseUrl);
    dataSource = await connectAndMigrate({ url: testEnvironment.databaseUrl });
    vault = new CredentialVault(new CredentialCipher([{ version: 1, key: randomBytes(32) }]));
    connections = new CompanyConnections(dataSource, vault);
    states = new PollStates(dataSource);
    poll = new ChangeLogPoll(dataSource, connections, states);
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await simulator?.close();
  });

  const site = (account: string) => `${simulator.url}/_sim/sites/${account}`;
  async function company(): Promise<string> {
    const companyId = `poll-${uniqueSuffix()}`;
    await httpJson('PUT', site(companyId), {
      reporting: { siteCode: 'SITE', apiID: 'reporter', apiPassword: 'rep-secret' },
      employees: [
        { employeeId: 1, initials: 'ADM', username: 'admin', email: 'admin@example.test', firstName: 'Ada', lastName: 'Admin', password: 'adm-secret', isAdministrator: true },
        { employeeId: 2, initials: 'JD', username: 'jdoe', email: 'jd@example.test', firstName: 'Jane', lastName: 'Doe' },
      ],
      projects: [{ projectId: 10, name: 'Website', tasks: [{ taskId: 100, name: 'Design', allocatedInitials: ['JD'] }] }],
    });
    await dataSource.query(
      `INSERT INTO company (id, name, status, admin_key_hash, forecast_base_url, timelog_domain, timelog_account_name, activated_at)
       VALUES ($1, $1, 'active', $2, 'http://127.0.0.1:1', $3, $1, now())`,
      [companyId, 'a'.repeat(64), simulator.url],
    );
    await vault.store(dataSource.manager, companyId, {
      timelog: { username: 'admin', password: 'adm-secret', siteCode: 'SITE', reportingUsername: 'reporter', reportingPassword: 'rep-secret' },
      forecastApiKey: 'x',
    });
    return companyId;
  }
  const register = (companyId: string, minutes: number, description: string) =>
    httpJson('POST', `${site(companyId)}/work`, { initials: 'JD', taskId: 100, date: today(), minutes, description });
  const events = async (companyId: string) =>
    (await dataSource.query(`SELECT value FROM outbox_message WHERE topic = 'timelog.work.changed.v1' AND message_key LIKE $1 ORDER BY id`, [`${companyId}:%`])).map(
      (row: { value: string }) => JSON.parse(row.value),
    );

  it('claims a due company with the state its poll resumes from, and leases it so a second claim passes it by', async () => {
    const companyId = await company();
    const sweepStartedAt = new Date(Date.now() - 60_000);
    await dataSource.query(
      `INSERT INTO timelog_poll_state (company_id, next_poll_at, last_success_at, failures, sweep_started_at, window_date, next_page) VALUES ($1, now() - interval '1 second', $2, 2, $3, $4, 3)`,
      [companyId, new Date(Date.now() - 3_600_000), sweepStartedAt, today()],
    );
    const ours = async () => (await states.claimDue(10_000)).find((claimed) => claimed.companyId === companyId);
    expect(await ours()).toEqual({
      companyId,
      state: { pollIntervalMinutes: 15, lastSuccessAt: expect.any(Date), consecutiveFailures: 2, cursor: { startedAt: sweepStartedAt, day: today(), page: 3 } },
      companyUpdatedAt: expect.any(Date),
    });
    expect(await ours()).toBeUndefined();
  });

  it('a claimed poll uses the clients built from the company row its claim saw, without reading the row again; a changed row is read', async () => {
    const companyId = await company();
    await register(companyId, 30, 'Design review');
    // Clients are re-checked against the row on every use here, unless the caller has just seen the row's version.
    const recheckingPoll = new ChangeLogPoll(dataSource, new CompanyConnections(dataSource, vault, 0), states);
    const claimNow = async () => {
      await dataSource.query(`INSERT INTO timelog_poll_state (company_id, next_poll_at) VALUES ($1, now()) ON CONFLICT (company_id) DO UPDATE SET next_poll_at = now()`, [companyId]);
      const { state, companyUpdatedAt } = (await states.claimDue(10_000)).find((candidate) => candidate.companyId === companyId)!;
      return { state, companyUpdatedAt };
    };
    expect(await recheckingPoll.pollCompany(companyId, await claimNow())).toMatchObject({ ok: true, emitted: 1 });
    const readsOf = jest.spyOn(dataSource, 'getRepository');
    const companyReads = () => readsOf.mock.calls.filter(([entity]) => entity === Company).length;
    try {
      expect(await recheckingPoll.pollCompany(companyId, await claimNow())).toMatchObject({ ok: true });
      expect(companyReads()).toBe(0);
      await dataSource.query(`UPDATE company SET updated_at = now() WHERE id = $1`, [companyId]);
      expect(await recheckingPoll.pollCompany(companyId, await claimNow())).toMatchObject({ ok: true });
      expect(companyReads()).toBe(1);
    } finally {
      readsOf.mockRestore();
    }
  });

  it('emits created and updated work with its details and deletions by GUID only; a second poll emits nothing', async () => {
    const companyId = await company();
    const kept = await register(companyId, 30, 'Design review');
    const gone = await register(companyId, 45, 'Soon deleted');
    await httpJson('PATCH', `${site(companyId)}/work/${kept.guid}`, { minutes: 61, description: 'Design review and notes' });
    await httpJson('DELETE', `${site(companyId)}/work/${gone.guid}`);

    expect(await poll.pollCompany(companyId)).toEqual({ ok: true, emitted: 2 });
    const emitted = await events(companyId);
    expect(emitted).toEqual([
      expect.objectContaining({ workGuid: kept.guid.toLowerCase(), change: 'upserted', source: 'poll',
        work: { guid: kept.guid.toLowerCase(), taskId: 100, employeeInitials: 'JD', date: today(), minutes: 61, description: 'Design review and notes', isEditable: true } }),
      expect.objectContaining({ workGuid: gone.guid.toLowerCase(), change: 'deleted', work: null }),
    ]);

    expect(await poll.pollCompany(companyId)).toEqual({ ok: true, emitted: 0 });
    // TimeLog's ActionDate has whole seconds: a second update in the same second is the same change-log row.
    const second = Math.floor(Date.now() / 1000);
    await pollUntil(() => Math.floor(Date.now() / 1000) > second, { description: 'the next second' });
    await httpJson('PATCH', `${site(companyId)}/work/${kept.guid}`, { minutes: 90 });
    expect(await poll.pollCompany(companyId)).toEqual({ ok: true, emitted: 1 });
    expect((await events(companyId)).at(-1)).toMatchObject({ change: 'upserted', work: { minutes: 90 } });
    const [state] = await dataSource.query(`SELECT last_success_at, last_error, failures FROM timelog_poll_state WHERE company_id = $1`, [companyId]);
    expect(state).toMatchObject({ last_error: null, failures: 0 });
    expect(state.last_success_at).toBeInstanceOf(Date);
  });

  const pair = (companyId: string, work: { guid: string }, forecastId: number, minutes: number, note: string) =>
    dataSource.query(
      `INSERT INTO entity_link (company_id, kind, forecast_id, timelog_ref, origin, synced_hash) VALUES ($1, 'time-registration', $2, $3, 'forecast', $4)`,
      [companyId, forecastId, work.guid.toLowerCase(), timeEntryHash({ date: today(), minutes, note })],
    );
  const echoAudit = (companyId: string) =>
    dataSource.query(`SELECT forecast_id, timelog_ref, reason FROM sync_action WHERE company_id = $1 AND action = 'echo-dropped' AND direction = 'timelog-to-forecast' ORDER BY forecast_id, reason COLLATE "C"`, [companyId]);
  const detailReads = async (companyId: string) => ((await httpJson('GET', `${site(companyId)}/calls`)) as Record<string, number>).GetEmployeeWork ?? 0;

  it('reads no details for the Created rows of work units it pairs (our own InsertWork), emits nothing for them and audits them as echoes', async () => {
    const companyId = await company();
    const first = await register(companyId, 30, 'Backfilled from Forecast');
    const second = await register(companyId, 45, 'Backfilled too');
    await pair(companyId, first, 1, 30, 'Backfilled from Forecast');
    await pair(companyId, second, 2, 45, 'Backfilled too');
    const readsBefore = await detailReads(companyId);

    expect(await poll.pollCompany(companyId)).toEqual({ ok: true, emitted: 0 });
    expect(await detailReads(companyId)).toBe(readsBefore);
    expect(await events(companyId)).toEqual([]);
    const reason = 'created by the sync (its Created row in the change log)';
    expect(await echoAudit(companyId)).toEqual([
      { forecast_id: '1', timelog_ref: first.guid.toLowerCase(), reason },
      { forecast_id: '2', timelog_ref: second.guid.toLowerCase(), reason },
    ]);
  });

  it('drops our own updates coming back (content equal to what its pair synced), audited as echoes; emits edits, and echoes of work with a parked event', async () => {
    const companyId = await company();
    const ours = await register(companyId, 30, 'Written from Forecast');
    const edited = await register(companyId, 45, 'Written from Forecast, then edited in TimeLog');
    const parked = await register(companyId, 50, 'Written from Forecast, an older event parked');
    await pair(companyId, ours, 1, 30, 'Written from Forecast');
    await pair(companyId, edited, 2, 45, 'Written from Forecast, then edited in TimeLog');
    await pair(companyId, parked, 3, 50, 'Written from Forecast, an older event parked');
    // Our UpdateWork (the pair records what it wrote) and a user's edit: both are Updated rows in the change log.
    await httpJson('PATCH', `${site(companyId)}/work/${ours.guid}`, { minutes: 35 });
    await dataSource.query(`UPDATE entity_link SET synced_hash = $3 WHERE company_id = $1 AND timelog_ref = $2`, [
      companyId, ours.guid.toLowerCase(), timeEntryHash({ date: today(), minutes: 35, note: 'Written from Forecast' }),
    ]);
    await httpJson('PATCH', `${site(companyId)}/work/${edited.guid}`, { minutes: 40 });
    await dataSource.query(
      `INSERT INTO parked_event (company_id, topic, message_key, value, headers, reason_code, reason, next_attempt_at) VALUES ($1, 'timelog.work.changed.v1', $2, '{}', '{}', 'forecast-validation', 'Forecast refused', now())`,
      [companyId, KEYS.work(companyId, parked.guid)],
    );

    expect(await poll.pollCompany(companyId)).toEqual({ ok: true, emitted: 2 });
    expect((await events(companyId)).map((event: { workGuid: string }) => event.workGuid).sort()).toEqual([edited.guid.toLowerCase(), parked.guid.toLowerCase()].sort());
    const created = 'created by the sync (its Created row in the change log)';
    expect(await echoAudit(companyId)).toEqual([
      { forecast_id: '1', timelog_ref: ours.guid.toLowerCase(), reason: 'Forecast already has this content' },
      { forecast_id: '1', timelog_ref: ours.guid.toLowerCase(), reason: created },
      { forecast_id: '2', timelog_ref: edited.guid.toLowerCase(), reason: created },
    ]);
  });

  it('sets a work unit its contract refuses aside with the reason and emits the rest of the page', async () => {
    const companyId = await company();
    const good = await register(companyId, 30, 'Fine');
    // More minutes than a year has: TimeLog lets it through, our contract does not.
    const bad = await register(companyId, 600_000, 'Impossible');

    expect(await poll.pollCompany(companyId)).toEqual({ ok: true, emitted: 1 });
    expect((await events(companyId)).map((event: { workGuid: string }) => event.workGuid)).toEqual([good.guid.toLowerCase()]);
    const [deadLetter] = await dataSource.query(`SELECT * FROM dead_letter WHERE company_id = $1 AND consumer_group = 'timelog-poller'`, [companyId]);
    expect(deadLetter).toMatchObject({ cause_code: 'invalid-message', cause: expect.stringContaining('work.minutes'), message_key: expect.stringContaining(bad.guid.toLowerCase()) });
  });

  it('resumes a poll killed after its first page was committed without losing or repeating a change', async () => {
    const companyId = await company();
    const guids: string[] = [];
    for (let n = 1; n <= 520; n += 1) guids.push((await register(companyId, n, `work ${n}`)).guid.toLowerCase());
    let killed = false;
    const dying = {
      get: async (id: string) => {
        const connection = await connections.get(id);
        const read = connection.timelog.getWorkChangeLogPaged;
        const getWorkChangeLogPaged: typeof read = async (query) => {
          if (query.page === 2 && !killed) {
            killed = true;
            throw new Error('poller killed');
          }
          return read(query);
        };
        return { ...connection, timelog: { ...connection.timelog, getWorkChangeLogPaged } };
      },
    };

    expect(await new ChangeLogPoll(dataSource, dying, states).pollCompany(companyId)).toEqual({ ok: false, error: 'poller killed' });
    expect(await events(companyId)).toHaveLength(500);
    const [cursor] = await dataSource.query(`SELECT next_page, last_error, failures FROM timelog_poll_state WHERE company_id = $1`, [companyId]);
    expect(cursor).toEqual({ next_page: 2, last_error: 'poller killed', failures: 1 });

    expect(await poll.pollCompany(companyId)).toEqual({ ok: true, emitted: 20 });
    const all = await events(companyId);
    expect(all.map((event: { workGuid: string }) => event.workGuid).sort()).toEqual([...guids].sort());
    expect(all.find((event: { workGuid: string }) => event.workGuid === guids[60]).work).toMatchObject({ minutes: 61, description: 'work 61' });
  });

  it('keeps polling other companies while one company\'s TimeLog fails, and records the failure for a retry', async () => {
    const [broken, healthy] = [await company(), await company()];
    await register(broken, 15, 'never read');
    await register(healthy, 20, 'read');
    await httpJson('PUT', `${site(broken)}/faults`, { failNext: 100, kind: 'http-503' });

    const [brokenOutcome, healthyOutcome] = await Promise.all([poll.pollCompany(broken), poll.pollCompany(healthy)]);
    expect(brokenOutcome.ok).toBe(false);
    expect(healthyOutcome).toEqual({ ok: true, emitted: 1 });
    const [state] = await dataSource.query(
      `SELECT last_error, failures, next_poll_at > now() + interval '30 seconds' AS backs_off FROM timelog_poll_state WHERE company_id = $1`,
      [broken],
    );
    expect(state).toMatchObject({ failures: 1, backs_off: true });
    expect(state.last_error).toContain('retryable');

    await httpJson('DELETE', `${site(broken)}/faults`);
    expect(await poll.pollCompany(broken)).toEqual({ ok: true, emitted: 1 });
  });

  it('marks the company\'s TimeLog credentials refused when its password was changed, until a poll succeeds again', async () => {
    const companyId = await company();
    const health = async () => (await dataSource.query(`SELECT vendor, condition FROM company_health WHERE company_id = $1`, [companyId])) as { vendor: string; condition: string }[];
    await httpJson('PUT', `${site(companyId)}/employees/ADM/password`, { password: 'changed-in-timelog' });

    expect((await poll.pollCompany(companyId)).ok).toBe(false);
    expect(await health()).toEqual([{ vendor: 'timelog', condition: 'credentials-refused' }]);
    const [summary] = await dataSource.query(`SELECT health, health_reason FROM company WHERE id = $1`, [companyId]);
    expect(summary.health).toBe('credentials-failing');
    expect(summary.health_reason).toMatch(/^timelog: .*Login failed/);

    await httpJson('PUT', `${site(companyId)}/employees/ADM/password`, { password: 'adm-secret' });
    expect((await poll.pollCompany(companyId)).ok).toBe(true);
    expect(await health()).toEqual([]);
    const events = await dataSource.query(`SELECT before, after FROM sync_action WHERE company_id = $1 AND action = 'health-changed' ORDER BY id`, [companyId]);
    expect(events).toEqual([
      { before: { vendor: 'timelog', condition: 'ok' }, after: { vendor: 'timelog', condition: 'credentials-refused' } },
      { before: { vendor: 'timelog', condition: 'credentials-refused' }, after: { vendor: 'timelog', condition: 'ok' } },
    ]);
  });
});
