import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { MetricsModule } from '@timelog-sync/observability';
import { Infrastructure } from './infrastructure';
import { DATA_SOURCE, KAFKA, SERVICE_NAME } from './tokens';
import { HealthController, ReadinessChecks } from './health.controller';
import { KafkaStatusProbe } from './dependency-health';

/** Makes the connected infrastructure injectable and serves GET /health/live, /health/ready (alias /health) and GET /metrics. */
@Global()
@Module({})
export class ServiceRuntimeModule implements OnApplicationShutdown {
  constructor(@Inject(KafkaStatusProbe) private readonly kafkaProbe: KafkaStatusProbe) {}

  static forRoot(infrastructure: Infrastructure): DynamicModule {
    return {
      module: ServiceRuntimeModule,
      imports: [MetricsModule],
      controllers: [HealthController],
      providers: [
        { provide: SERVICE_NAME, useValue: infrastructure.serviceName },
        { provide: DATA_SOURCE, useValue: infrastructure.dataSource },
        { provide: KAFKA, useValue: infrastructure.kafka },
        { provide: KafkaStatusProbe, useFactory: () => new KafkaStatusProbe(infrastructure.kafka) },
        { provide: ReadinessChecks, useValue: new ReadinessChecks() },
      ],
      exports: [SERVICE_NAME, DATA_SOURCE, KAFKA],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.kafkaProbe.close();
  }
}
