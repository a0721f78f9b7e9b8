import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { SyncCommandV1, TOPICS } from '@timelog-sync/contracts';
import { EventContext } from '@timelog-sync/messaging';
import { Backfill } from '@timelog-sync/forecast-ingestion';
import { runWithCompany } from '@timelog-sync/observability';

/** Backfill requests (a new link) read Forecast; other commands are the writer's. */
@Controller()
export class SyncCommandController {
  constructor(private readonly backfill: Backfill) {}

  @EventPattern(TOPICS.syncCommands)
  async handle(@Payload() command: SyncCommandV1, @Ctx() context: EventContext) {
    if (command.command !== 'backfill') return;
    await runWithCompany(command.companyId, () => this.backfill.run(command, context.manager));
  }
}
