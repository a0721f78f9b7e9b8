import { DynamicModule, Module } from '@nestjs/common';
import { Infrastructure, ServiceRuntimeModule } from '@timelog-sync/service-runtime';

@Module({})
export class ForecastIngestorModule {
  static register(infrastructure: Infrastructure): DynamicModule {
    return { module: ForecastIngestorModule, imports: [ServiceRuntimeModule.forRoot(infrastructure)] };
  }
}
