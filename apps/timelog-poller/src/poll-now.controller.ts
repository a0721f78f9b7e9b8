import { BadRequestException, Controller, HttpCode, NotFoundException, Param, Post, UseGuards } from '@nestjs/common';
import { companyId as companyIdSchema } from '@timelog-sync/contracts';
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
    const valid = companyIdSchema.safeParse(companyId);
    if (!valid.success) {
      throw new BadRequestException({ error: { code: 'invalid_request', message: 'The request has invalid fields', errors: [{ path: 'companyId', message: valid.error.issues[0].message }] } });
    }
    if (!(await this.states.requestPollNow(companyId))) {
      throw new NotFoundException({ error: { code: 'unknown_company', message: 'No active company has this id' } });
    }
    this.workers.nudge();
    return { status: 'scheduled' };
  }
}
