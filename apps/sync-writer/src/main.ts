import './tracing';
import 'reflect-metadata';
import { startService } from '@timelog-sync/service-runtime';
import { initialiseSyncCounters } from '@timelog-sync/sync-engine';
import { loadSyncWriterConfig } from './config';
import { SyncWriterModule } from './app.module';

const config = loadSyncWriterConfig();
initialiseSyncCounters();
startService('sync-writer', config, { module: (infrastructure) => SyncWriterModule.register(infrastructure, config), relayOutbox: true, consumerGroup: 'sync-writer' });
