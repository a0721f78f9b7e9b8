import { DynamicModule, Module } from '@nestjs/common';
import { AdminConsoleConfig } from './config';
import { MAPPING_SERVICE_URL } from './tokens';
import { HealthController } from './health.controller';
import { MappingProxyController } from './mapping-proxy.controller';

@Module({})
export class AdminConsoleModule {
  static register(config: AdminConsoleConfig): DynamicModule {
    return {
      module: AdminConsoleModule,
      controllers: [HealthController, MappingProxyController],
      providers: [{ provide: MAPPING_SERVICE_URL, useValue: config.MAPPING_SERVICE_URL }],
    };
  }
}
