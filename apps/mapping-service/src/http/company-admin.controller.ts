import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { activationRequestSchema, ActivationRequest, calendarDate, CompanyActivation, CompanyRegistry, IntegrationLinks, SyncStatus } from '@timelog-sync/administration';
import { CompanyAdminGuard } from './admin-auth.guard';
import { RequiresRole } from './admin-session';
import { ZodPipe } from './zod-body.pipe';
import { deadLetterIdParam, forecastIdField, forecastIdParam as forecastId, plainText, timelogProjectIdField } from './request-fields';

const personLink = z.object({ timelogInitials: plainText(50) }).strict();
const projectLink = z.object({ timelogProjectId: timelogProjectIdField, syncFrom: calendarDate.optional() }).strict();
const activityQuery = z.object({
  forecastId: forecastIdField.optional(),
  timelogRef: plainText(200).optional(),
  limit: z.string().regex(/^\d{1,3}$/, 'must be a whole number from 1 to 500').transform(Number).pipe(z.number().min(1).max(500)).optional(),
});

/** The admin API of one company: the seed article's admin steps, then what synced and what waits. */
@Controller('companies/:companyId')
@UseGuards(CompanyAdminGuard)
export class CompanyAdminController {
  constructor(
    private readonly registry: CompanyRegistry,
    private readonly activation: CompanyActivation,
    private readonly links: IntegrationLinks,
    private readonly status: SyncStatus,
  ) {}

  @Get()
  company(@Param('companyId') companyId: string) {
    return this.registry.view(companyId);
  }

  @Put('activation')
  @RequiresRole('owner')
  activate(@Param('companyId') companyId: string, @Body(new ZodPipe(activationRequestSchema)) body: ActivationRequest) {
    return this.activation.activate(companyId, body);
  }

  @Delete('activation')
  @RequiresRole('owner')
  @HttpCode(204)
  deactivate(@Param('companyId') companyId: string) {
    return this.activation.deactivate(companyId);
  }

  @Get('people')
  people(@Param('companyId') companyId: string) {
    return this.links.people(companyId);
  }

  @Put('people/:personId/link')
  @RequiresRole('editor')
  linkPerson(@Param('companyId') companyId: string, @Param('personId', forecastId) personId: number, @Body(new ZodPipe(personLink)) body: z.infer<typeof personLink>) {
    return this.links.linkPerson(companyId, personId, body.timelogInitials);
  }

  @Delete('people/:personId/link')
  @RequiresRole('editor')
  @HttpCode(204)
  unlinkPerson(@Param('companyId') companyId: string, @Param('personId', forecastId) personId: number) {
    return this.links.unlinkPerson(companyId, personId);
  }

  @Get('projects')
  projects(@Param('companyId') companyId: string) {
    return this.links.projects(companyId);
  }

  @Put('projects/:projectId/link')
  @RequiresRole('editor')
  linkProject(@Param('companyId') companyId: string, @Param('projectId', forecastId) projectId: number, @Body(new ZodPipe(projectLink)) body: z.infer<typeof projectLink>) {
    return this.links.linkProject(companyId, projectId, body.timelogProjectId, body.syncFrom);
  }

  @Delete('projects/:projectId/link')
  @RequiresRole('editor')
  @HttpCode(204)
  unlinkProject(@Param('companyId') companyId: string, @Param('projectId', forecastId) projectId: number) {
    return this.links.unlinkProject(companyId, projectId);
  }

  @Get('sync-summary')
  syncSummary(@Param('companyId') companyId: string) {
    return this.status.summary(companyId);
  }

  @Get('parked')
  parked(@Param('companyId') companyId: string) {
    return this.status.parked(companyId);
  }

  @Post('parked/retry')
  @RequiresRole('editor')
  @HttpCode(202)
  retryParked(@Param('companyId') companyId: string) {
    return this.status.retryParked(companyId);
  }

  @Get('dead-letters')
  deadLetters(@Param('companyId') companyId: string) {
    return this.status.deadLetters(companyId);
  }

  @Get('rejected-webhooks')
  rejectedWebhooks(@Param('companyId') companyId: string) {
    return this.status.rejectedWebhooks(companyId);
  }

  @Post('dead-letters/:id/replay')
  @RequiresRole('editor')
  @HttpCode(202)
  replay(@Param('companyId') companyId: string, @Param('id', deadLetterIdParam) id: string) {
    return this.status.replayDeadLetter(companyId, id);
  }

  @Get('activity')
  activity(@Param('companyId') companyId: string, @Query(new ZodPipe(activityQuery)) query: z.infer<typeof activityQuery>) {
    return this.status.activity(companyId, query);
  }
}
