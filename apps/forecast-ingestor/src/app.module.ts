import { DynamicModule, Module } from '@nestjs/common';
import { Infrastructure, ServiceRuntimeModule } from '@timelog-sync/service-runtime';
import { CompanyConnections, CredentialVault } from '@timelog-sync/company-directory';
import { CredentialCipher, parseCredentialKeys } from '@timelog-sync/crypto';
import { Backfill, InboundWebhooks, SafetyNetPoll, WebhookProcessor } from '@timelog-sync/forecast-ingestion';
import { TaskProjects } from '@timelog-sync/forecast-client';
import { ForecastIngestorConfig } from './config';
import { SyncCommandController } from './sync-command.controller';
import { IngestionWorkers } from './ingestion-workers';

@Module({})
export class ForecastIngestorModule {
  static register(infrastructure: Infrastructure, config: ForecastIngestorConfig): DynamicModule {
    const { dataSource } = infrastructure;
    const vault = new CredentialVault(new CredentialCipher(parseCredentialKeys(config.CREDENTIAL_KEYS), config.CREDENTIAL_KEY_CURRENT));
    const connections = new CompanyConnections(dataSource, vault);
    // The shared loops defer a company Forecast pushes back on; a backfill (one company's command) may wait it out.
    const deferring = new CompanyConnections(dataSource, vault, undefined, { timeoutMs: config.VENDOR_CALL_TIMEOUT_MS, pauseAfterTimeoutSeconds: config.VENDOR_PAUSE_AFTER_TIMEOUT_SECONDS });
    const taskProjects = new TaskProjects();
    const processor = new WebhookProcessor(dataSource, deferring, taskProjects, {
      maxAttempts: config.WEBHOOK_MAX_ATTEMPTS,
      retryBaseSeconds: config.WEBHOOK_RETRY_BASE_SECONDS,
    });
    const poll = new SafetyNetPoll(dataSource, deferring, taskProjects, config.SAFETY_POLL_OVERLAP_SECONDS * 1000);
    return {
      module: ForecastIngestorModule,
      imports: [ServiceRuntimeModule.forRoot(infrastructure)],
      controllers: [SyncCommandController],
      providers: [
        { provide: InboundWebhooks, useValue: new InboundWebhooks(dataSource) },
        { provide: Backfill, useValue: new Backfill(dataSource, connections, taskProjects) },
        { provide: IngestionWorkers, useValue: new IngestionWorkers(dataSource, processor, poll, { safetyPollIntervalSeconds: config.SAFETY_POLL_INTERVAL_SECONDS, webhookRetentionDays: config.WEBHOOK_RETENTION_DAYS }) },
      ],
    };
  }
}
