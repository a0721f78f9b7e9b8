import { DataSource } from 'typeorm';
import { connectAndMigrate, ensureDatabaseExists } from '@timelog-sync/persistence';
import { testEnvironment, uniqueSuffix } from '@timelog-sync/testing';
import { AdministrationError } from './administration-error';
import { Cursor, Page, PageRequest } from './list-pages';
import { SyncStatus } from './sync-status';

/** The admin lists paged by the server, against real PostgreSQL (its microsecond timestamps included). */
describe('paged lists of the activity log, parked items and dead letters (real PostgreSQL)', () => {
  let dataSource: DataSource;
  let status: SyncStatus;
  let companyId: string;

  beforeAll(async () => {
    await ensureDatabaseExists(testEnvironment.databaseUrl);
    dataSource = await connectAndMigrate({ url: testEnvironment.databaseUrl });
    status = new SyncStatus(dataSource);
    companyId = `pages-${uniqueSuffix()}`;
    await dataSource.query(`INSERT INTO company (id, name, status, admin_key_hash, forecast_base_url) VALUES ($1, 'Acme', 'active', $2, 'http://127.0.0.1:1')`, [companyId, 'a'.repeat(64)]);
    // Three rows share one instant (ties are broken by id); the others lie microseconds apart.
    const at = ['2026-11-01T10:00:00.000001Z', '2026-11-01T10:00:00.000001Z', '2026-11-01T10:00:00.000001Z', '2026-11-01T10:00:00.000002Z', '2026-11-01T10:00:00.000003Z'];
    for (const [i, time] of at.entries()) {
      await dataSource.query(
        `INSERT INTO sync_action (company_id, occurred_at, direction, entity_kind, forecast_id, action, reason) VALUES ($1, $2, 'forecast-to-timelog', 'time-registration', $3, $4, $5)`,
        [companyId, time, 100 + i, i % 2 ? 'resync-requested' : 'updated', i % 2 ? `Resync of registration ${100 + i}` : null],
      );
      await dataSource.query(
        `INSERT INTO parked_event (company_id, topic, message_key, headers, reason_code, reason, parked_at, resolved_at) VALUES ($1, 't', $2, '{}', 'unlinked-person', $3, $4, $5)`,
        [companyId, `${companyId}:time-registration:${100 + i}`, i === 4 ? 'Forecast person 7 is not linked' : 'The week is closed', time, i === 0 ? time : null],
      );
      await dataSource.query(
        `INSERT INTO dead_letter (company_id, consumer_group, topic, partition, kafka_offset, message_key, headers, cause_code, cause, attempts, failed_at) VALUES ($1, 'g', 't', 0, $2, $3, '{}', 'invalid-message', $4, 1, $5)`,
        [companyId, String(i), `${companyId}:task:${100 + i}`, i === 2 ? 'registrationId: Expected number' : 'taskId: Expected number', time],
      );
    }
  });

  afterAll(async () => {
    await dataSource?.destroy();
  });

  /** Every page of a list, following the cursors. */
  async function allPages<T>(read: (request: PageRequest) => Promise<Page<T>>, limit: number, q?: string): Promise<Page<T>[]> {
    const pages: Page<T>[] = [];
    let after: Cursor | undefined;
    do {
      pages.push(await read({ q, limit, after }));
      after = pages[pages.length - 1].next ?? undefined;
    } while (after && pages.length < 10);
    return pages;
  }

  it('pages the activity log newest first, every row once, and a search narrows it', async () => {
    const pages = await allPages((request) => status.activity(companyId, {}, request), 2);
    expect(pages.map((page) => page.items.length)).toEqual([2, 2, 1]);
    expect(pages.every((page) => page.total === 5)).toBe(true);
    expect(pages[2].next).toBeNull();
    const ids = pages.flatMap((page) => page.items.map((item) => item.forecastId));
    // Newest first; the three of one instant by id, newest inserted first.
    expect(ids).toEqual([104, 103, 102, 101, 100]);
    expect(pages[1].items[0].id).not.toBe(pages[0].items[0].id);

    const searched = await status.activity(companyId, {}, { q: 'RESYNC', limit: 10 });
    expect(searched.items.map((item) => item.forecastId)).toEqual([103, 101]);
    expect(searched.total).toBe(2);
    expect((await status.activity(companyId, { forecastId: 102 }, { limit: 10 })).items.map((item) => item.forecastId)).toEqual([102]);
  });

  it('pages open parked items and dead letters, and searches their keys, reasons and causes', async () => {
    const parked = await allPages((request) => status.parked(companyId, request), 3);
    expect(parked.map((page) => page.items.map((item) => item.key.split(':').pop()))).toEqual([['104', '103', '102'], ['101']]);
    const notLinked = await status.parked(companyId, { q: 'not linked', limit: 10 });
    expect(notLinked).toMatchObject({ total: 1, next: null, items: [{ key: `${companyId}:time-registration:104` }] });
    expect((await status.parked(companyId, { q: 'time-registration:10', limit: 1 })).total).toBe(4);

    const letters = await allPages((request) => status.deadLetters(companyId, request), 4);
    expect(letters.map((page) => page.items.length)).toEqual([4, 1]);
    expect(new Set(letters.flatMap((page) => page.items.map((item) => item.id))).size).toBe(5);
    expect((await status.deadLetters(companyId, { q: 'registrationId', limit: 10 })).items.map((item) => item.key)).toEqual([`${companyId}:task:102`]);
    // A search for LIKE's own wildcards finds them literally, not everything.
    expect((await status.deadLetters(companyId, { q: '%', limit: 10 })).total).toBe(0);
  });

  it('refuses a cursor it did not hand out with a 400', async () => {
    const refusal = await status.activity(companyId, {}, { limit: 2, after: ['yesterday', '1'] }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(AdministrationError);
    expect(refusal).toMatchObject({ status: 400, code: 'list.bad_cursor' });
  });
});
