import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** A notice to a company's owners: what broke (or recovered), and what to do about it. */
export interface IncidentMessage {
  companyId: string;
  companyName: string;
  kind: 'incident' | 'recovery';
  vendor: string;
  condition: string;
  reason: string;
  subject: string;
  text: string;
}

/** Where notices go: e-mail to the owners, and a webhook (a chat's incoming webhook) when configured. */
export interface NoticeChannels {
  email(recipients: string[], message: IncidentMessage): Promise<void>;
  webhook?(message: IncidentMessage): Promise<void>;
}

const VENDOR_TITLES: Record<string, string> = { forecast: 'Forecast', timelog: 'TimeLog', 'timelog-reporting': "TimeLog's Reporting API" };

/** The cause in an owner's words and the fix they can make; the console's banner says the same. */
export function describeIncident(vendor: string, condition: string): { cause: string; fix: string } {
  const title = VENDOR_TITLES[vendor] ?? vendor;
  return condition === 'credentials-refused'
    ? { cause: `${title} refuses the company's credentials`, fix: `Enter the current ${title} credentials under Integrations → TimeLog (an owner can); the sync resumes by itself.` }
    : { cause: `${title} has not answered for a while`, fix: `Nothing to do if ${title} is down for everyone; if it persists, check the domain under Integrations → TimeLog or tell your operator.` };
}

/**
 * Tells a company's owners when its sync stops and again when it recovers, once per incident: each check opens an
 * incident for every company_health row without one (refused credentials at once, an outage after
 * `vendorDownAfterMs`) and closes incidents whose row is gone; each notice is marked sent once the e-mail went out, so
 * one the mail server refused goes out on a later check, and row locks keep two replicas from sending it twice.
 */
export class IncidentNotices {
  private readonly logger = new Logger(IncidentNotices.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly channels: NoticeChannels,
    private readonly options: { vendorDownAfterMs: number },
  ) {}

  async check(): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO incident_notice (company_id, vendor, condition, reason)
       SELECT h.company_id, h.vendor, h.condition, h.reason FROM company_health h
       WHERE (h.condition = 'credentials-refused' OR h.since < now() - make_interval(secs => $1::int / 1000.0))
       ON CONFLICT (company_id, vendor) WHERE recovered_at IS NULL DO NOTHING`,
      [this.options.vendorDownAfterMs],
    );
    await this.dataSource.query(
      `UPDATE incident_notice n SET recovered_at = now() WHERE recovered_at IS NULL
         AND NOT EXISTS (SELECT 1 FROM company_health h WHERE h.company_id = n.company_id AND h.vendor = n.vendor)`,
    );
    // Unsent notices, each locked while it is sent (replicas skip it); a recovery only once its opening was told.
    await this.dataSource.transaction(async (manager) => {
      const unsent = (await manager.query(
        `SELECT id, company_id, vendor, condition, reason, CASE WHEN opened_notice_sent_at IS NULL THEN 'incident' ELSE 'recovery' END AS kind
         FROM incident_notice
         WHERE (opened_notice_sent_at IS NULL AND recovered_at IS NULL) OR (opened_notice_sent_at IS NOT NULL AND recovered_at IS NOT NULL AND recovery_notice_sent_at IS NULL)
         ORDER BY id FOR UPDATE SKIP LOCKED`,
      )) as (IncidentRow & { id: string; kind: IncidentMessage['kind'] })[];
      for (const row of unsent) {
        if (!(await this.notify(row, row.kind))) continue;
        const sent = row.kind === 'incident' ? 'opened_notice_sent_at' : 'recovery_notice_sent_at';
        await manager.query(`UPDATE incident_notice SET ${sent} = now() WHERE id = $1`, [row.id]);
      }
    });
  }

  /** False when the e-mail could not be sent: the notice stays unsent and the next check tries again. */
  private async notify(row: IncidentRow, kind: IncidentMessage['kind']): Promise<boolean> {
    const [company] = (await this.dataSource.query(`SELECT name FROM company WHERE id = $1`, [row.company_id])) as { name: string }[];
    const owners = ((await this.dataSource.query(`SELECT email FROM admin_role_grant WHERE company_id = $1 AND role = 'owner' ORDER BY email`, [row.company_id])) as { email: string }[]).map(
      (owner) => owner.email,
    );
    const { cause, fix } = describeIncident(row.vendor, row.condition);
    const name = company?.name ?? row.company_id;
    const message: IncidentMessage = {
      companyId: row.company_id,
      companyName: name,
      kind,
      vendor: row.vendor,
      condition: row.condition,
      reason: row.reason,
      subject: kind === 'incident' ? `Sync stopped for ${name}: ${cause}` : `Sync recovered for ${name}`,
      text:
        kind === 'incident'
          ? `The sync between Forecast and TimeLog stopped for ${name}.\n\nCause: ${cause} (${row.reason}).\nFix: ${fix}\n\nChanges wait and are applied once it works again. You get one more e-mail when it recovers.`
          : `The sync between Forecast and TimeLog works again for ${name}: ${VENDOR_TITLES[row.vendor] ?? row.vendor} accepts the company's calls. Waiting changes are being applied.`,
    };
    if (owners.length) {
      try {
        await this.channels.email(owners, message);
      } catch (error) {
        this.logger.warn(`e-mail notice for ${row.company_id} failed, sent again on the next check: ${(error as Error).message}`);
        return false;
      }
    }
    // The webhook is the operators' extra channel: a failure is logged, and the e-mail decides what counts as told.
    await this.channels.webhook?.(message).catch((error: Error) => this.logger.warn(`webhook notice for ${row.company_id} failed: ${error.message}`));
    return true;
  }
}

interface IncidentRow {
  company_id: string;
  vendor: string;
  condition: string;
  reason: string;
}
