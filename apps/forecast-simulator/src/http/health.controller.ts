import { Controller, Get } from '@nestjs/common';

/** Liveness and readiness are the same for a simulator (no dependencies); `/health` for older callers. */
@Controller('health')
export class HealthController {
  @Get(['', 'live', 'ready'])
  health() {
    return { status: 'up' };
  }
}
