import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { TimelogWorkChangedV1, TOPICS } from '@timelog-sync/contracts';
import { EventContext } from '@timelog-sync/messaging';
import { holdIfPaused, WorkSync } from '@timelog-sync/sync-engine';
import { runWithCompany } from '@timelog-sync/observability';

/** TimeLog -> Forecast: work to time registrations. */
@Controller()
export class TimeLogChangesController {
  constructor(private readonly work: WorkSync) {}

  @EventPattern(TOPICS.timelogWorkChanged)
  onWork(@Payload() event: TimelogWorkChangedV1, @Ctx() context: EventContext) {
    return runWithCompany(event.companyId, async () => {
      if (await holdIfPaused(context, event, { timelogTaskId: event.work?.taskId }, { kind: 'time-registration', direction: 'timelog-to-forecast', timelogRef: event.workGuid })) return;
      await this.work.handle(event, context);
    });
  }
}
