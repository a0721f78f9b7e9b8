import './tracing';
import 'reflect-metadata';
import { startService } from '@timelog-sync/service-runtime';
import { registerSecret } from '@timelog-sync/observability';
import { loadMappingServiceConfig } from './config';
import { MappingServiceModule } from './app.module';
import { adminRateLimits } from './http/admin-rate-limit';

const config = loadMappingServiceConfig();
registerSecret(config.OPERATOR_TOKEN);
if (config.OIDC_CLIENT_SECRET) registerSecret(config.OIDC_CLIENT_SECRET);
startService('mapping-service', config, {
  module: (infrastructure) => MappingServiceModule.register(infrastructure, config),
  relayOutbox: true,
  exportsFleetGauges: true,
  throttlers: adminRateLimits(config),
});
