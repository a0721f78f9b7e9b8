import { Foundation1764000000000 } from './1764000000000-foundation';
import { CompaniesLinksSyncState1764000000001 } from './1764000000001-companies-links-sync-state';
import { TimelogPollSweep1764000000002 } from './1764000000002-timelog-poll-sweep';
import { PairDeletionPerSide1764000001600 } from './1764000001600-pair-deletion-per-side';
import { ReconciliationResult1764000001601 } from './1764000001601-reconciliation-result';
import { RetentionIndexes1764000013100 } from './1764000013100-retention-indexes';
import { CompanyHealth1764000015000 } from './1764000015000-company-health';
import { CreateIntentAttempts1764000016100 } from './1764000016100-create-intent-attempts';
import { BackfillRun1764000018000 } from './1764000018000-backfill-run';
import { AdminSignIn1764000020000 } from './1764000020000-admin-sign-in';
import { SyncPause1764000020001 } from './1764000020001-sync-pause';
import { IncidentNotice1764000020002 } from './1764000020002-incident-notice';
import { IncidentNoticeDelivery1764000020003 } from './1764000020003-incident-notice-delivery';
import { OutboxNotify1764000021000 } from './1764000021000-outbox-notify';
import { WebhookDedupeUnclaimed1764000022000 } from './1764000022000-webhook-dedupe-unclaimed';

export const ALL_MIGRATIONS = [
  Foundation1764000000000,
  CompaniesLinksSyncState1764000000001,
  TimelogPollSweep1764000000002,
  PairDeletionPerSide1764000001600,
  ReconciliationResult1764000001601,
  RetentionIndexes1764000013100,
  CompanyHealth1764000015000,
  CreateIntentAttempts1764000016100,
  BackfillRun1764000018000,
  AdminSignIn1764000020000,
  SyncPause1764000020001,
  IncidentNotice1764000020002,
  IncidentNoticeDelivery1764000020003,
  OutboxNotify1764000021000,
  WebhookDedupeUnclaimed1764000022000,
];
