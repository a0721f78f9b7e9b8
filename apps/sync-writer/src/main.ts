import './tracing';
import 'reflect-metadata';
import { TOPICS } from '@timelog-sync/contracts';
import { startService } from '@timelog-sync/service-runtime';
import { initialiseSyncCounters } from '@timelog-sync/sync-engine';
import { loadSyncWriterConfig } from './config';
import { SyncWriterModule } from './app.module';

const config = loadSyncWriterConfig();
initialiseSyncCounters();
startService('sync-writer', config, {
  module: (infrastructure) => SyncWriterModule.register(infrastructure, config),
  relayOutbox: true,
  consumerGroup: 'sync-writer',
  // The hot paths: registrations handled together share InsertWork calls and one transaction; a poll's work changes
  // (twenty a company in a cycle) share one transaction and their statements.
  chunkedTopics: [TOPICS.forecastTimeRegistrationChanged, TOPICS.timelogWorkChanged],
});
