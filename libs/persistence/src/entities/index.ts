import { DeadLetter } from './dead-letter.entity';
import { OutboxMessage } from './outbox-message.entity';
import { ProcessedEvent } from './processed-event.entity';
import { Company } from './company.entity';
import { CompanyCredential } from './company-credential.entity';
import { ProjectLink, UserLink } from './links.entity';
import { EntityLink, ForecastWebhookSubscriptionRecord, InboundWebhook, ParkedEvent, SyncAction } from './sync-records.entity';

export type { CompanyHealth, CompanyStatus } from './company.entity';
export type { EntityKind } from './sync-records.entity';
export {
  Company, CompanyCredential, DeadLetter, EntityLink, ForecastWebhookSubscriptionRecord, InboundWebhook, OutboxMessage,
  ParkedEvent, ProcessedEvent, ProjectLink, SyncAction, UserLink,
};

export const ALL_ENTITIES = [
  OutboxMessage, ProcessedEvent, DeadLetter, Company, CompanyCredential, UserLink, ProjectLink, EntityLink, SyncAction,
  ParkedEvent, InboundWebhook, ForecastWebhookSubscriptionRecord,
];
