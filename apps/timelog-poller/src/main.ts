import './tracing';
import 'reflect-metadata';
import { startService } from '@timelog-sync/service-runtime';
import { registerSecret } from '@timelog-sync/observability';
import { loadTimelogPollerConfig } from './config';
import { TimelogPollerModule } from './app.module';

const config = loadTimelogPollerConfig();
registerSecret(config.OPERATOR_TOKEN);
startService('timelog-poller', config, { module: (infrastructure) => TimelogPollerModule.register(infrastructure, config), relayOutbox: true });
