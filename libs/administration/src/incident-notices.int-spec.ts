import { DataSource } from 'typeorm';
import { SMTPServer } from 'smtp-server';
import { connectAndMigrate, ensureDatabaseExists } from '@timelog-sync/persistence';
import { testEnvironment, uniqueSuffix } from '@timelog-sync/testing';
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
    notices = new IncidentNotices(dataSource, noticeChannels({ smtpUrl: `smtp://127.0.0.1:${SMTP_PORT}`, from: 'alerts@timelog-sync.invalid' }), { vendorDownAfterMs: 15 * 60_000 });
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
    await dataSource.query(
      `UPDATE incident_notice SET recovered_at = coalesce(recovered_at, now()), opened_notice_sent_at = coalesce(opened_notice_sent_at, now()), recovery_notice_sent_at = coalesce(recovery_notice_sent_at, now())`,
    );
    companyId = `notices-${uniqueSuffix()}`;
    await dataSource.query(`INSERT INTO company (id, name, status, admin_key_hash, forecast_base_url, activated_at) VALUES ($1, 'Acme', 'active', $2, 'http://127.0.0.1:1', now())`, [companyId, 'a'.repeat(64)]);
    await dataSource.query(`INSERT INTO admin_role_grant (email, company_id, role) VALUES ($2, $1, 'owner'), ($3, $1, 'editor')`, [companyId, `owner@${companyId}.example`, `editor@${companyId}.example`]);
  });

  const refuseCredentials = () =>
    dataSource.query(`INSERT INTO company_health (company_id, vendor, condition, reason) VALUES ($1, 'timelog', 'credentials-refused', 'Login failed')`, [companyId]);
  const subjects = () => received.map((mail) => /^Subject: (.*)$/m.exec(mail.raw)?.[1] ?? '');

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
});
