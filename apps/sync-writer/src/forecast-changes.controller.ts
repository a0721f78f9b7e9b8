import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { ForecastTaskChangedV1, ForecastTimeRegistrationChangedV1, TOPICS } from '@timelog-sync/contracts';
import { EventContext } from '@timelog-sync/messaging';
import { RegistrationSync, TaskSync } from '@timelog-sync/sync-engine';
import { runWithCompany } from '@timelog-sync/observability';

/** Forecast -> TimeLog: tasks one way, registrations to work. */
@Controller()
export class ForecastChangesController {
  constructor(
    private readonly tasks: TaskSync,
    private readonly registrations: RegistrationSync,
  ) {}

  @EventPattern(TOPICS.forecastTaskChanged)
  onTask(@Payload() event: ForecastTaskChangedV1, @Ctx() context: EventContext) {
    return runWithCompany(event.companyId, () => this.tasks.handle(event, context));
  }

  @EventPattern(TOPICS.forecastTimeRegistrationChanged)
  onRegistration(@Payload() event: ForecastTimeRegistrationChangedV1, @Ctx() context: EventContext) {
    return runWithCompany(event.companyId, () => this.registrations.handle(event, context));
  }
}
