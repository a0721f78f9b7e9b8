import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, UseGuards } from '@nestjs/common';
import type { Request } from 'express';
import { SettingsChanges } from '@timelog-sync/administration';
import { z } from 'zod';
import { Reconciliation } from '@timelog-sync/administration';
import { CompanyAdminGuard } from './admin-auth.guard';
import { actorOf, RequiresRole } from './admin-session';
import { ZodPipe } from './zod-body.pipe';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day as YYYY-MM-DD');
const range = z.object({ from: day, to: day }).strict();
const resync = z.object({ from: day, to: day, side: z.enum(['forecast', 'timelog']).optional() }).strict();

/** The reconciliation report of one company: differences in a date range, and the admin's resync actions. */
@Controller('companies/:companyId/reconciliation')
@UseGuards(CompanyAdminGuard)
export class ReconciliationController {
  constructor(
    private readonly reconciliation: Reconciliation,
    private readonly changes: SettingsChanges,
  ) {}

  @Get()
  report(@Param('companyId') companyId: string, @Query(new ZodPipe(range)) query: z.infer<typeof range>) {
    return this.reconciliation.report(companyId, query.from, query.to);
  }

  @Post('differences/:differenceId/resync')
  @RequiresRole('editor')
  @HttpCode(202)
  async resyncOne(@Param('companyId') companyId: string, @Param('differenceId') differenceId: string, @Body(new ZodPipe(resync)) body: z.infer<typeof resync>, @Req() request: Request) {
    const resynced = await this.changes.track({ companyId, setting: 'resync', subject: differenceId }, actorOf(request), () => this.reconciliation.resync(companyId, body.from, body.to, differenceId, body.side), (difference) => `${difference.kind} repaired from ${body.side ?? difference.winner}`);
    return { resynced };
  }

  @Post('resync-all')
  @RequiresRole('editor')
  @HttpCode(202)
  async resyncAll(@Param('companyId') companyId: string, @Body(new ZodPipe(range)) body: z.infer<typeof range>, @Req() request: Request) {
    const resynced = await this.changes.track({ companyId, setting: 'resync' }, actorOf(request), () => this.reconciliation.resyncAll(companyId, body.from, body.to), (count) => `${count} differences from ${body.from} to ${body.to} repaired`);
    return { resynced };
  }
}
