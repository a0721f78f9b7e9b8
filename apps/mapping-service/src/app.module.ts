import { DynamicModule, Module } from '@nestjs/common';
import { Infrastructure, ServiceRuntimeModule } from '@timelog-sync/service-runtime';

@Module({})
export class MappingServiceModule {
  static register(infrastructure: Infrastructure): DynamicModule {
    return { module: MappingServiceModule, imports: [ServiceRuntimeModule.forRoot(infrastructure)] };
  }
}
