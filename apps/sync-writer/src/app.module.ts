import { DynamicModule, Module } from '@nestjs/common';
import { Infrastructure, ServiceRuntimeModule } from '@timelog-sync/service-runtime';

@Module({})
export class SyncWriterModule {
  static register(infrastructure: Infrastructure): DynamicModule {
    return { module: SyncWriterModule, imports: [ServiceRuntimeModule.forRoot(infrastructure)] };
  }
}
