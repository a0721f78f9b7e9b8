import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { MappingLinkV1, SyncCommandV1, TOPICS } from '@timelog-sync/contracts';
import { EventContext } from '@timelog-sync/messaging';
import { onLinkChanged } from '@timelog-sync/sync-engine';
import { ParkingLot } from '@timelog-sync/messaging';

/** Link changes and admin commands that release parked events. */
@Controller()
export class LinksAndCommandsController {
  @EventPattern(TOPICS.mappingLinks)
  async onLink(@Payload() link: MappingLinkV1 | null, @Ctx() context: EventContext) {
    await onLinkChanged(context.manager, context.companyId, link);
  }

  @EventPattern(TOPICS.syncCommands)
  async onCommand(@Payload() command: SyncCommandV1, @Ctx() context: EventContext) {
    if (command.command === 'retry-parked') await new ParkingLot(context.manager).requeue(command.companyId, null);
  }
}
