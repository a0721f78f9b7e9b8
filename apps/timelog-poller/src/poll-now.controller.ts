import { Controller, HttpCode, NotFoundException, Param, Post, UseGuards } from '@nestjs/common';
import { PollStates } from '@timelog-sync/timelog-polling';
import { OperatorGuard } from '@timelog-sync/service-runtime';
import { PollingWorkers } from './polling-workers';

@Controller('companies')
@UseGuards(OperatorGuard)
export class PollNowController {
  constructor(
    private readonly states: PollStates,
    private readonly workers: PollingWorkers,
  ) {}

  /** Makes the company due at once; the poll itself runs in the background like any other. */
  @Post(':companyId/poll-now')
  @HttpCode(202)
  async pollNow(@Param('companyId') companyId: string) {
    if (!(await this.states.requestPollNow(companyId))) {
      throw new NotFoundException({ error: { code: 'unknown_company', message: 'No active company has this id' } });
    }
    this.workers.nudge();
    return { status: 'scheduled' };
  }
}
