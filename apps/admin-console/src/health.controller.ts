import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { MAPPING_SERVICE_URL } from './tokens';

/** Live while it answers; ready (also `/health`) when it can reach the mapping service: without it no screen works. */
@Controller('health')
export class HealthController {
  constructor(@Inject(MAPPING_SERVICE_URL) private readonly mappingServiceUrl: string) {}

  @Get('live')
  live() {
    return { service: 'admin-console', status: 'up' };
  }

  @Get(['ready', ''])
  async ready(@Res({ passthrough: true }) response: Response) {
    const mappingService = await fetch(`${this.mappingServiceUrl.replace(/\/+$/, '')}/health/ready`, { signal: AbortSignal.timeout(2000) })
      .then((answer) => (answer.ok ? 'up' : 'down'))
      .catch(() => 'down');
    response.status(mappingService === 'up' ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return { service: 'admin-console', status: mappingService, dependencies: { mappingService } };
  }
}
