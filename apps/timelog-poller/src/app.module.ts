import { DynamicModule, Module } from '@nestjs/common';
import { Infrastructure, ServiceRuntimeModule } from '@timelog-sync/service-runtime';

@Module({})
export class TimelogPollerModule {
  static register(infrastructure: Infrastructure): DynamicModule {
    return { module: TimelogPollerModule, imports: [ServiceRuntimeModule.forRoot(infrastructure)] };
  }
}
