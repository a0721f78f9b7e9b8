import './tracing';
import 'reflect-metadata';
import { startService } from '@timelog-sync/service-runtime';
import { loadSyncWriterConfig } from './config';
import { SyncWriterModule } from './app.module';

const config = loadSyncWriterConfig();
startService('sync-writer', config, { module: (infrastructure) => SyncWriterModule.register(infrastructure, config), relayOutbox: true, consumerGroup: 'sync-writer' });
