import { DynamicModule, Module } from '@nestjs/common';
import { MetricsModule } from '@timelog-sync/observability';
import { AdminConsoleConfig } from './config';
import { API_BODY_LIMIT_BYTES, CONSOLE_ROUTES, MAPPING_SERVICE_URL } from './tokens';
import { ConsoleRoutes } from './console-routes';
import { HealthController } from './health.controller';
import { MappingProxyController } from './mapping-proxy.controller';

@Module({})
export class AdminConsoleModule {
  static register(config: AdminConsoleConfig): DynamicModule {
    return {
      module: AdminConsoleModule,
      imports: [MetricsModule],
      controllers: [HealthController, MappingProxyController],
      providers: [
        { provide: MAPPING_SERVICE_URL, useValue: config.MAPPING_SERVICE_URL },
        { provide: CONSOLE_ROUTES, useValue: new ConsoleRoutes(config.MAPPING_SERVICE_URL, config.OPERATOR_TOKEN) },
        { provide: API_BODY_LIMIT_BYTES, useValue: config.API_BODY_LIMIT_BYTES },
      ],
    };
  }
}
