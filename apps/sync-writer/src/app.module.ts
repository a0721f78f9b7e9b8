import { DynamicModule, Module } from '@nestjs/common';
import { Infrastructure, ServiceRuntimeModule } from '@timelog-sync/service-runtime';
import { CompanyConnections, CredentialVault } from '@timelog-sync/company-directory';
import { CredentialCipher, parseCredentialKeys } from '@timelog-sync/crypto';
import { BACKFILL_CHUNK, BackfillRuns, InsertWorkBatches, PostgresSyncStorage, RegistrationSync, TaskSync, WorkSync } from '@timelog-sync/sync-engine';
import { TaskProjects } from '@timelog-sync/forecast-client';
import { SyncWriterConfig } from './config';
import { ForecastChangesController } from './forecast-changes.controller';
import { TimeLogChangesController } from './timelog-changes.controller';
import { LinksAndCommandsController } from './links-and-commands.controller';
import { ParkedRetry } from './parked-retry';
import { BackfillWorker } from './backfill-worker';

@Module({})
export class SyncWriterModule {
  static register(infrastructure: Infrastructure, config: SyncWriterConfig): DynamicModule {
    const { dataSource } = infrastructure;
    const vault = new CredentialVault(new CredentialCipher(parseCredentialKeys(config.CREDENTIAL_KEYS), config.CREDENTIAL_KEY_CURRENT));
    const connections = new CompanyConnections(dataSource, vault, undefined, { timeoutMs: config.VENDOR_CALL_TIMEOUT_MS, pauseAfterTimeoutSeconds: config.VENDOR_PAUSE_AFTER_TIMEOUT_SECONDS });
    const closedWeekRetryMs = config.TIMELOG_CLOSED_WEEK_RETRY_SECONDS * 1000;
    // A backfill chunk hands its registrations over one after another: they go to TimeLog once none has joined for a moment.
    const backfillRegistrations = new RegistrationSync(new PostgresSyncStorage(dataSource), connections, { closedWeekRetryMs, insertBatches: new InsertWorkBatches({ maxItems: BACKFILL_CHUNK, quietMs: 20 }) });
    return {
      module: SyncWriterModule,
      imports: [ServiceRuntimeModule.forRoot(infrastructure)],
      controllers: [ForecastChangesController, TimeLogChangesController, LinksAndCommandsController],
      providers: [
        { provide: TaskSync, useValue: new TaskSync(new PostgresSyncStorage(dataSource), connections, config.TIMELOG_EXTERNAL_SYSTEM) },
        {
          provide: RegistrationSync,
          useValue: new RegistrationSync(new PostgresSyncStorage(dataSource), connections, {
            closedWeekRetryMs,
            insertBatches: new InsertWorkBatches({ lingerMs: config.TIMELOG_WORK_BATCH_LINGER_MS, maxItems: config.TIMELOG_WORK_BATCH_MAX_ITEMS }),
          }),
        },
        { provide: WorkSync, useValue: new WorkSync(new PostgresSyncStorage(dataSource), connections) },
        { provide: ParkedRetry, useValue: new ParkedRetry(dataSource, config.PARKED_RETRY_SCAN_SECONDS) },
        { provide: BackfillWorker, useValue: new BackfillWorker(new BackfillRuns(dataSource, connections, backfillRegistrations, new TaskProjects(), config.BACKFILL_LEASE_SECONDS), config.BACKFILL_SCAN_SECONDS) },
      ],
    };
  }
}
