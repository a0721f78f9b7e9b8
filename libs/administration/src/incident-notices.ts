import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  findCompanyName, listOwnerEmails, lockUnsentNotices, markNoticeSent, openPipelineIncidents, openVendorIncidents, PipelineIncidentSource, recoverPipelineIncidents,
  recoverVendorIncidents, UnsentNotice,
} from '@timelog-sync/persistence';

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

/**
 * Incidents of the pipeline itself rather than of a vendor (kept in incident_notice's `vendor` column beside them):
 * open while a company's count of the items is at or over its threshold, recovered at half of it or below, so a count
 * hovering at the threshold does not mail the owners at every check (the counts: see openPipelineIncidents).
 */
const PIPELINE_SOURCES: Record<PipelineIncidentSource, { condition: string; unit: string }> = {
  'parked-items': { condition: 'growing', unit: ' items parked' },
  'dead-letters': { condition: 'unprocessed', unit: ' dead letters not replayed' },
};
/** The incident sources that are the pipeline's own (the rest are vendors, from company_health). */
export const PIPELINE_INCIDENTS = Object.keys(PIPELINE_SOURCES) as PipelineIncidentSource[];
const isPipelineSource = (source: string) => source in PIPELINE_SOURCES;

/** The cause in an owner's words and the fix they can make; the console's banner says the same. */
export function describeIncident(vendor: string, condition: string): { headline: string; cause: string; fix: string } {
  if (vendor === 'parked-items') {
    return { headline: 'Sync needs attention', cause: 'changes are piling up in the parked items', fix: 'Open Sync status → Parked items: most wait for a link (People, Projects) or a closed TimeLog week; fix that, then press “Retry parked items now”.' };
  }
  if (vendor === 'dead-letters') {
    return { headline: 'Sync needs attention', cause: 'the sync could not process some changes (dead letters)', fix: 'Open Sync status → Dead letters, fix the cause shown and press Replay; if the cause is unclear, tell your operator.' };
  }
  const title = VENDOR_TITLES[vendor] ?? vendor;
  return condition === 'credentials-refused'
    ? { headline: 'Sync stopped', cause: `${title} refuses the company's credentials`, fix: `Enter the current ${title} credentials under Integrations → TimeLog (an owner can); the sync resumes by itself.` }
    : { headline: 'Sync stopped', cause: `${title} has not answered for a while`, fix: `Nothing to do if ${title} is down for everyone; if it persists, check the domain under Integrations → TimeLog or tell your operator.` };
}

export interface IncidentNoticeOptions {
  /** A vendor down for longer than this is an incident (refused credentials are one at once). */
  vendorDownAfterMs: number;
  /** Open parked items (not waiting for a pause) that make an incident. */
  parkedItemsThreshold: number;
  /** Dead letters not replayed that make an incident. */
  deadLettersThreshold: number;
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
    private readonly options: IncidentNoticeOptions,
  ) {}

  async check(): Promise<void> {
    await openVendorIncidents(this.dataSource, this.options.vendorDownAfterMs);
    await recoverVendorIncidents(this.dataSource, PIPELINE_INCIDENTS);
    for (const source of PIPELINE_INCIDENTS) {
      const { condition, unit } = PIPELINE_SOURCES[source];
      const threshold = source === 'parked-items' ? this.options.parkedItemsThreshold : this.options.deadLettersThreshold;
      await openPipelineIncidents(this.dataSource, source, condition, unit, threshold);
      await recoverPipelineIncidents(this.dataSource, source, threshold);
    }
    // Unsent notices, each locked while it is sent (replicas skip it); a recovery only once its opening was told.
    await this.dataSource.transaction(async (manager) => {
      for (const row of await lockUnsentNotices(manager)) {
        if (!(await this.notify(row, row.kind))) continue;
        await markNoticeSent(manager, row.id, row.kind);
      }
    });
  }

  /** False when the e-mail could not be sent: the notice stays unsent and the next check tries again. */
  private async notify(row: UnsentNotice, kind: IncidentMessage['kind']): Promise<boolean> {
    const name = (await findCompanyName(this.dataSource, row.company_id)) ?? row.company_id;
    const owners = await listOwnerEmails(this.dataSource, row.company_id);
    const { headline, cause, fix } = describeIncident(row.vendor, row.condition);
    const pipeline = isPipelineSource(row.vendor);
    const message: IncidentMessage = {
      companyId: row.company_id,
      companyName: name,
      kind,
      vendor: row.vendor,
      condition: row.condition,
      reason: row.reason,
      subject: kind === 'recovery' ? `Sync recovered for ${name}` : `${headline} for ${name}: ${cause}`,
      text:
        kind === 'incident'
          ? pipeline
            ? `The sync between Forecast and TimeLog needs attention for ${name}.\n\nCause: ${cause} (${row.reason}).\nFix: ${fix}\n\nYou get one more e-mail when it is back to normal.`
            : `The sync between Forecast and TimeLog stopped for ${name}.\n\nCause: ${cause} (${row.reason}).\nFix: ${fix}\n\nChanges wait and are applied once it works again. You get one more e-mail when it recovers.`
          : pipeline
            ? `The sync between Forecast and TimeLog is back to normal for ${name}: ${row.vendor === 'parked-items' ? 'the parked items have been worked off' : 'the dead letters have been replayed'}.`
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
