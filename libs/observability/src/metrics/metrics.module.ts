import { Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller';

/** Import in every app's root module to serve GET /metrics in Prometheus text format. */
@Module({ controllers: [MetricsController] })
export class MetricsModule {}
