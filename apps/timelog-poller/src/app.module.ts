import { DynamicModule, Module } from '@nestjs/common';
import { Infrastructure, OPERATOR_TOKEN_HASH, OperatorGuard, ServiceRuntimeModule } from '@timelog-sync/service-runtime';
import { CompanyConnections, CredentialVault, tokenHash } from '@timelog-sync/company-directory';
import { CredentialCipher, parseCredentialKeys } from '@timelog-sync/crypto';
import { ChangeLogPoll, PollStates, Reconciliation } from '@timelog-sync/timelog-polling';
import { TimelogPollerConfig } from './config';
import { PollNowController } from './poll-now.controller';
import { PollingWorkers } from './polling-workers';

@Module({})
export class TimelogPollerModule {
  static register(infrastructure: Infrastructure, config: TimelogPollerConfig): DynamicModule {
    const { dataSource } = infrastructure;
    const connections = new CompanyConnections(dataSource, new CredentialVault(new CredentialCipher(parseCredentialKeys(config.CREDENTIAL_KEYS), config.CREDENTIAL_KEY_CURRENT)));
    const states = new PollStates(dataSource);
    const workers = new PollingWorkers(states, new ChangeLogPoll(dataSource, connections, states), new Reconciliation(dataSource, connections, config.RECONCILIATION_DAYS), {
      scanIntervalSeconds: config.POLL_SCAN_INTERVAL_SECONDS,
      concurrency: config.POLL_CONCURRENCY,
      reconciliationCron: config.RECONCILIATION_ENABLED ? config.RECONCILIATION_CRON : null,
    });
    return {
      module: TimelogPollerModule,
      imports: [ServiceRuntimeModule.forRoot(infrastructure)],
      controllers: [PollNowController],
      providers: [
        { provide: OPERATOR_TOKEN_HASH, useValue: tokenHash(config.OPERATOR_TOKEN) },
        { provide: PollStates, useValue: states },
        { provide: PollingWorkers, useValue: workers },
        OperatorGuard,
      ],
    };
  }
}
