import { DynamicModule, Module } from '@nestjs/common';
import { MetricsModule } from '@timelog-sync/observability';
import { AdminConsoleConfig } from './config';
import { MAPPING_SERVICE_URL } from './tokens';
import { BrowserModules } from './browser-modules';
import { BrowserModulesController } from './browser-modules.controller';
import { HealthController } from './health.controller';
import { MappingProxyController } from './mapping-proxy.controller';

@Module({})
export class AdminConsoleModule {
  static register(config: AdminConsoleConfig): DynamicModule {
    return {
      module: AdminConsoleModule,
      imports: [MetricsModule],
      controllers: [HealthController, BrowserModulesController, MappingProxyController],
      providers: [
        { provide: MAPPING_SERVICE_URL, useValue: config.MAPPING_SERVICE_URL },
        { provide: BrowserModules, useValue: new BrowserModules() },
      ],
    };
  }
}
