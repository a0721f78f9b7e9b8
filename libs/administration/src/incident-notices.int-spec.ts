import { DataSource } from 'typeorm';
import { SMTPServer } from 'smtp-server';
import { connectAndMigrate, ensureDatabaseExists } from '@timelog-sync/persistence';
import { testEnvironment, uniqueSuffix } from '@timelog-sync/testing';
import { CompanyRegistry } from './company-registry';
import { IncidentNotices } from './incident-notices';
import { noticeChannels } from './notice-channels';

/** Notices against real PostgreSQL and a real SMTP server that can refuse, as a relay does when it is down. */
const SMTP_PORT = 29400 + testEnvironment.portOffset;

describe('incident notices to owners (real PostgreSQL and SMTP)', () => {
  let dataSource: DataSource;
  let smtp: SMTPServer;
  let notices: IncidentNotices;
  let companyId: string;
  let received: { to: string[]; raw: string }[];
  let refusing = false;

  beforeAll(async () => {
    await ensureDatabaseExists(testEnvironment.databaseUrl);
    dataSource = await connectAndMigrate({ url: testEnvironment.databaseUrl });
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, session, callback) {
        let raw = '';
        stream.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
        stream.on('end', () => {
          if (refusing) return callback(new Error('relay unavailable'));
          received.push({ to: session.envelope.rcptTo.map((recipient) => recipient.address), raw });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(SMTP_PORT, '127.0.0.1', resolve));
    notices = new IncidentNotices(dataSource, noticeChannels({ smtpUrl: `smtp://127.0.0.1:${SMTP_PORT}`, from: 'alerts@timelog-sync.invalid' }), { vendorDownAfterMs: 15 * 60_000, parkedItemsThreshold: 4, deadLettersThreshold: 1 });
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
    await dataSource?.destroy();
  });

  beforeEach(async () => {
    received = [];
    refusing = false;
    // A check covers every company: close what earlier tests left open so it mails nobody here.
    await dataSource.query(`DELETE FROM company_health`);
    await dataSource.query(`UPDATE parked_event SET resolved_at = now() WHERE resolved_at IS NULL`);
    await dataSource.query(`UPDATE dead_letter SET replayed_at = now() WHERE replayed_at IS NULL`);
    await dataSource.query(
      `UPDATE incident_notice SET recovered_at = coalesce(recovered_at, now()), opened_notice_sent_at = coalesce(opened_notice_sent_at, now()), recovery_notice_sent_at = coalesce(recovery_notice_sent_at, now())`,
    );
    companyId = `notices-${uniqueSuffix()}`;
    await dataSource.query(`INSERT INTO company (id, name, status, admin_key_hash, forecast_base_url, activated_at) VALUES ($1, 'Acme', 'active', $2, 'http://127.0.0.1:1', now())`, [companyId, 'a'.repeat(64)]);
    await dataSource.query(`INSERT INTO admin_role_grant (email, company_id, role) VALUES ($2, $1, 'owner'), ($3, $1, 'editor')`, [companyId, `owner@${companyId}.example`, `editor@${companyId}.example`]);
  });

  const refuseCredentials = () =>
    dataSource.query(`INSERT INTO company_health (company_id, vendor, condition, reason) VALUES ($1, 'timelog', 'credentials-refused', 'Login failed')`, [companyId]);
  // Long subjects are folded over lines (RFC 5322): unfolded here.
  const subjects = () => received.map((mail) => /^Subject: (.*)$/m.exec(mail.raw.replace(/\r\n[ \t]+/g, ' '))?.[1]?.trim() ?? '');

  it('tells the owners once per incident and once on recovery, however often it checks', async () => {
    await refuseCredentials();
    await notices.check();
    await notices.check();
    expect(received.map((mail) => mail.to)).toEqual([[`owner@${companyId}.example`]]);
    expect(subjects()[0]).toMatch(/^Sync stopped for Acme/);
    await dataSource.query(`DELETE FROM company_health WHERE company_id = $1`, [companyId]);
    await notices.check();
    await notices.check();
    expect(subjects()).toEqual([expect.stringMatching(/^Sync stopped for Acme/), 'Sync recovered for Acme']);
  });

  it('keeps a notice the mail server refused and sends it on a later check, once', async () => {
    await refuseCredentials();
    refusing = true;
    await notices.check();
    expect(received).toHaveLength(0);
    refusing = false;
    await notices.check();
    await notices.check();
    expect(received).toHaveLength(1);
  });

  it('tells nobody of a recovery whose incident was never told', async () => {
    await refuseCredentials();
    refusing = true;
    await notices.check();
    await dataSource.query(`DELETE FROM company_health WHERE company_id = $1`, [companyId]);
    refusing = false;
    await notices.check();
    expect(received).toHaveLength(0);
  });

  describe('of the pipeline: parked items piling up, dead letters', () => {
    /** The body with quoted-printable's soft line breaks removed (the phrases checked are ASCII). */
    const body = (index: number) => received[index].raw.replace(/=\r?\n/g, '');
    let parkedSoFar = 0;
    const park = (count: number, waitingFor: string | null = 'user:7') =>
      dataSource.query(
        `INSERT INTO parked_event (company_id, topic, message_key, headers, reason_code, reason, waiting_for)
         SELECT $1, 't', $1 || ':time-registration:' || i, '{}', 'unlinked-person', 'Forecast person 7 is not linked', $3 FROM generate_series($4::int + 1, $4::int + $2::int) AS i`,
        [companyId, count, waitingFor, (parkedSoFar += count) - count],
      );
    const resolveParked = (count: number) =>
      dataSource.query(`UPDATE parked_event SET resolved_at = now() WHERE id IN (SELECT id FROM parked_event WHERE company_id = $1 AND resolved_at IS NULL AND waiting_for = 'user:7' LIMIT $2)`, [companyId, count]);
    const deadLetter = () =>
      dataSource.query(
        `INSERT INTO dead_letter (company_id, consumer_group, topic, partition, kafka_offset, message_key, headers, cause_code, cause, attempts) VALUES ($1, 'g', 't', 0, '1', $1 || ':task:1', '{}', 'invalid-message', 'taskId: Expected number', 1)`,
        [companyId],
      );

    it('tells the owners once when parked items reach the threshold, and once when they are worked off to half of it', async () => {
      await park(3);
      await park(5, 'pause:project:1'); // waiting for a pause the admins set: not a problem
      await notices.check();
      expect(received).toHaveLength(0);
      await park(1);
      await notices.check();
      await park(2);
      await notices.check();
      expect(subjects()).toEqual(['Sync needs attention for Acme: changes are piling up in the parked items']);
      expect(body(0)).toContain('4 items parked');
      expect(body(0)).toContain('Retry parked items now');
      // The console's banner shows it while it lasts.
      const problems = async () => (await new CompanyRegistry(dataSource, 'http://127.0.0.1:1').view(companyId)).problems;
      expect(await problems()).toEqual([expect.objectContaining({ vendor: 'parked-items', headline: 'Sync needs attention', reason: '4 items parked', cause: 'changes are piling up in the parked items' })]);
      // Below the threshold but above half of it: still the same incident.
      await resolveParked(3);
      await notices.check();
      expect(received).toHaveLength(1);
      await resolveParked(1);
      await notices.check();
      await notices.check();
      expect(subjects()).toEqual(['Sync needs attention for Acme: changes are piling up in the parked items', 'Sync recovered for Acme']);
      expect(body(1)).toContain('the parked items have been worked off');
      expect(await problems()).toEqual([]);
    });

    it('tells the owners of dead letters once, and once when they are all replayed, beside a vendor incident of its own', async () => {
      await deadLetter();
      await deadLetter();
      await refuseCredentials();
      await notices.check();
      await notices.check();
      expect(subjects().sort()).toEqual(['Sync needs attention for Acme: the sync could not process some changes (dead letters)', "Sync stopped for Acme: TimeLog refuses the company's credentials"]);
      await dataSource.query(`UPDATE dead_letter SET replayed_at = now() WHERE company_id = $1`, [companyId]);
      await notices.check();
      expect(subjects()).toHaveLength(3);
      expect(subjects()[2]).toBe('Sync recovered for Acme');
      expect(body(2)).toContain('the dead letters have been replayed');
      // The credentials incident is still open: its recovery comes with its own fix.
      await dataSource.query(`DELETE FROM company_health WHERE company_id = $1`, [companyId]);
      await notices.check();
      expect(subjects()).toHaveLength(4);
      expect(body(3)).toContain("TimeLog accepts the company's calls");
    });

    it('tells nobody about an inactive company', async () => {
      await dataSource.query(`UPDATE company SET status = 'inactive' WHERE id = $1`, [companyId]);
      await deadLetter();
      await park(6);
      await notices.check();
      expect(received).toHaveLength(0);
    });
  });
});
