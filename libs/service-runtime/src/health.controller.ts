import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { DATA_SOURCE, SERVICE_NAME } from './tokens';
import { KafkaStatusProbe, postgresStatus } from './dependency-health';

/** Reports the service and its real dependencies; 503 when any is down so load balancers and `up` can tell. */
@Controller()
export class HealthController {
  constructor(
    @Inject(SERVICE_NAME) private readonly serviceName: string,
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly kafkaProbe: KafkaStatusProbe,
  ) {}

  @Get('health')
  async health(@Res({ passthrough: true }) response: Response) {
    const [postgres, kafka] = await Promise.all([postgresStatus(this.dataSource), this.kafkaProbe.status()]);
    const status = postgres === 'up' && kafka === 'up' ? 'up' : 'down';
    response.status(status === 'up' ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return { service: this.serviceName, status, dependencies: { postgres, kafka } };
  }
}
