import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { ForecastTaskChangedV1, ForecastTimeRegistrationChangedV1, TOPICS } from '@timelog-sync/contracts';
import { EventContext } from '@timelog-sync/messaging';
import { holdIfPaused, RegistrationSync, TaskSync } from '@timelog-sync/sync-engine';
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
    return runWithCompany(event.companyId, async () => {
      const scope = { forecastProjectId: event.task?.projectId, forecastTaskId: event.taskId };
      if (await holdIfPaused(context, event, scope, { kind: 'task', direction: 'forecast-to-timelog', forecastId: event.taskId })) return;
      await this.tasks.handle(event, context);
    });
  }

  @EventPattern(TOPICS.forecastTimeRegistrationChanged)
  onRegistration(@Payload() event: ForecastTimeRegistrationChangedV1, @Ctx() context: EventContext) {
    return runWithCompany(event.companyId, async () => {
      const scope = { forecastProjectId: event.registration?.projectId, forecastTaskId: event.registration?.taskId };
      if (await holdIfPaused(context, event, scope, { kind: 'time-registration', direction: 'forecast-to-timelog', forecastId: event.registrationId })) return;
      await this.registrations.handle(event, context);
    });
  }
}
