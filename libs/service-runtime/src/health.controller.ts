import { Controller, Get, HttpStatus, Inject, OnModuleDestroy, Res } from '@nestjs/common';
import type { Response } from 'express';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { DataSource } from 'typeorm';
import { DATA_SOURCE, SERVICE_NAME } from './tokens';
import { DependencyStatus, KafkaStatusProbe, postgresStatus } from './dependency-health';

/** Where every service answers its probes (deploy/k8s and docker-compose.yml use these). */
export const HEALTH_ROUTES = { live: '/health/live', ready: '/health/ready', legacy: '/health' } as const;

/** Conditions an app adds to its readiness at start-up, e.g. the writer's membership of its consumer group. */
export class ReadinessChecks {
  private readonly checks = new Map<string, () => boolean>();

  add(name: string, isUp: () => boolean): void {
    this.checks.set(name, isUp);
  }

  status(): Record<string, DependencyStatus> {
    return Object.fromEntries([...this.checks].map(([name, isUp]) => [name, isUp() ? 'up' : 'down']));
  }
}

/**
 * Liveness (`/health/live`) is the process alone, so a broker or database outage never restarts every pod;
 * readiness (`/health/ready`, and `/health` for existing callers) is PostgreSQL, Kafka and the app's own checks.
 */
@Controller()
export class HealthController implements OnModuleDestroy {
  private readonly eventLoopDelay = monitorEventLoopDelay({ resolution: 20 });

  constructor(
    @Inject(SERVICE_NAME) private readonly serviceName: string,
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly kafkaProbe: KafkaStatusProbe,
    private readonly readinessChecks: ReadinessChecks,
  ) {
    this.eventLoopDelay.enable();
  }

  /** Answering at all shows the event loop turns; its delay since the last probe is reported for diagnosis. */
  @Get(HEALTH_ROUTES.live)
  live() {
    const eventLoopDelayMs = Math.round(this.eventLoopDelay.max / 1e6);
    this.eventLoopDelay.reset();
    return { service: this.serviceName, status: 'up', eventLoopDelayMs };
  }

  @Get([HEALTH_ROUTES.ready, HEALTH_ROUTES.legacy])
  async ready(@Res({ passthrough: true }) response: Response) {
    const [postgres, kafka] = await Promise.all([postgresStatus(this.dataSource), this.kafkaProbe.status()]);
    const dependencies = { postgres, kafka, ...this.readinessChecks.status() };
    const status = Object.values(dependencies).every((value) => value === 'up') ? 'up' : 'down';
    response.status(status === 'up' ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return { service: this.serviceName, status, dependencies };
  }

  onModuleDestroy(): void {
    this.eventLoopDelay.disable();
  }
}
