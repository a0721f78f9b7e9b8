import { Body, Controller, Delete, Get, HttpCode, NotFoundException, Param, Post, Put, Query, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { WorkGuid } from '@timelog-sync/contracts';
import { AdministrationError, activationRequestSchema, ActivationRequest, calendarDate, CompanyActivation, encodeCursor, Page, CompanyRegistry, IntegrationLinks, ProjectBackfills, Reconciliation, SETTINGS, SettingsChanges, SyncPauseControl, SyncStatus } from '@timelog-sync/administration';
import { CompanyAdminGuard } from './admin-auth.guard';
import { actorOf, RequiresRole } from './admin-session';
import { PollStates } from '@timelog-sync/timelog-polling';
import { ZodPipe } from './zod-body.pipe';
import { backfillIdParam, deadLetterIdParam, forecastIdField, forecastIdParam as forecastId, listQuery, plainText, timelogProjectIdField, timelogRefField, workGuidParam } from './request-fields';

const personLink = z.object({ timelogInitials: plainText(50) }).strict();
const projectLink = z.object({ timelogProjectId: timelogProjectIdField, syncFrom: calendarDate.optional() }).strict();
const backfillRequest = z.object({ from: calendarDate }).strict();
const pageQuery = listQuery(100);
type PageQuery = z.infer<typeof pageQuery>;
const activityQuery = pageQuery.extend({ forecastId: forecastIdField.optional(), timelogRef: timelogRefField.optional() });
const asPageRequest = (query: PageQuery) => ({ q: query.q, limit: query.limit, after: query.cursor });

/**
 * A list's page as the body (unchanged for existing clients), its total and the next page's cursor as headers:
 * X-Total-Count, X-Next-Cursor and a Link to the next page (RFC 8288).
 */
function sendPage<T>(request: Request, response: Response, page: Page<unknown>, body: T): T {
  response.setHeader('X-Total-Count', String(page.total));
  if (page.next) {
    const cursor = encodeCursor(page.next);
    const next = new URL(request.originalUrl, 'http://x');
    next.searchParams.set('cursor', cursor);
    response.setHeader('X-Next-Cursor', cursor);
    response.setHeader('Link', `<${next.pathname}${next.search}>; rel="next"`);
  }
  return body;
}

const pageNumber = (max: number, fallback: number) =>
  z.string().regex(/^\d{1,6}$/, `must be a whole number from 1 to ${max}`).transform(Number).pipe(z.number().min(1).max(max)).optional().default(String(fallback));
/** The side to send; without it the conflict rule picks the winner, as in the reconciliation report. */
const resyncRequest = z.object({ side: z.enum(['forecast', 'timelog']).optional() }).strict().optional();

const changesQuery = z.object({ setting: z.enum(SETTINGS).optional(), actor: plainText(254).optional(), page: pageNumber(100_000, 1), pageSize: pageNumber(100, 25) }).strict();

/** The admin API of one company: the seed article's admin steps, then what synced and what waits. */
@Controller('companies/:companyId')
@UseGuards(CompanyAdminGuard)
export class CompanyAdminController {
  constructor(
    private readonly registry: CompanyRegistry,
    private readonly activation: CompanyActivation,
    private readonly links: IntegrationLinks,
    private readonly status: SyncStatus,
    private readonly backfills: ProjectBackfills,
    private readonly changes: SettingsChanges,
    private readonly pauses: SyncPauseControl,
    private readonly polls: PollStates,
    private readonly reconciliation: Reconciliation,
  ) {}

  @Get()
  company(@Param('companyId') companyId: string) {
    return this.registry.view(companyId);
  }

  @Put('activation')
  @RequiresRole('owner')
  activate(@Param('companyId') companyId: string, @Body(new ZodPipe(activationRequestSchema)) body: ActivationRequest, @Req() request: Request) {
    return this.changes.track({ companyId, setting: 'activation' }, actorOf(request), () => this.activation.activate(companyId, body));
  }

  @Delete('activation')
  @RequiresRole('owner')
  @HttpCode(204)
  deactivate(@Param('companyId') companyId: string, @Req() request: Request) {
    return this.changes.track({ companyId, setting: 'activation' }, actorOf(request), () => this.activation.deactivate(companyId));
  }

  @Get('people')
  async people(@Param('companyId') companyId: string, @Query(new ZodPipe(pageQuery)) query: PageQuery, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const { people, ...rest } = await this.links.people(companyId, asPageRequest(query));
    return sendPage(request, response, people, { ...rest, people: people.items });
  }

  @Put('people/:personId/link')
  @RequiresRole('editor')
  linkPerson(@Param('companyId') companyId: string, @Param('personId', forecastId) personId: number, @Body(new ZodPipe(personLink)) body: z.infer<typeof personLink>, @Req() request: Request) {
    return this.changes.track({ companyId, setting: 'person-link', subject: personId }, actorOf(request), () => this.links.linkPerson(companyId, personId, body.timelogInitials));
  }

  @Delete('people/:personId/link')
  @RequiresRole('editor')
  @HttpCode(204)
  unlinkPerson(@Param('companyId') companyId: string, @Param('personId', forecastId) personId: number, @Req() request: Request) {
    return this.changes.track({ companyId, setting: 'person-link', subject: personId }, actorOf(request), () => this.links.unlinkPerson(companyId, personId));
  }

  @Get('projects')
  async projects(@Param('companyId') companyId: string, @Query(new ZodPipe(pageQuery)) query: PageQuery, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const { projects, ...rest } = await this.links.projects(companyId, asPageRequest(query));
    return sendPage(request, response, projects, { ...rest, projects: projects.items });
  }

  @Put('projects/:projectId/link')
  @RequiresRole('editor')
  linkProject(@Param('companyId') companyId: string, @Param('projectId', forecastId) projectId: number, @Body(new ZodPipe(projectLink)) body: z.infer<typeof projectLink>, @Req() request: Request) {
    return this.changes.track({ companyId, setting: 'project-link', subject: projectId }, actorOf(request), () => this.links.linkProject(companyId, projectId, body.timelogProjectId, body.syncFrom));
  }

  @Delete('projects/:projectId/link')
  @RequiresRole('editor')
  @HttpCode(204)
  unlinkProject(@Param('companyId') companyId: string, @Param('projectId', forecastId) projectId: number, @Req() request: Request) {
    return this.changes.track({ companyId, setting: 'project-link', subject: projectId }, actorOf(request), () => this.links.unlinkProject(companyId, projectId));
  }

  /** Reads the project's Forecast registrations from `from` and writes them to TimeLog (the writer runs it). */
  @Post('projects/:projectId/backfill')
  @RequiresRole('editor')
  @HttpCode(202)
  backfill(@Param('companyId') companyId: string, @Param('projectId', forecastId) projectId: number, @Body(new ZodPipe(backfillRequest)) body: z.infer<typeof backfillRequest>, @Req() request: Request) {
    return this.changes.track({ companyId, setting: 'backfill', subject: projectId }, actorOf(request), () => this.backfills.request(companyId, projectId, body.from));
  }

  @Get('backfills')
  backfillRuns(@Param('companyId') companyId: string) {
    return this.backfills.progress(companyId);
  }

  @Get('backfills/:backfillId')
  async backfillRun(@Param('companyId') companyId: string, @Param('backfillId', backfillIdParam) backfillId: string) {
    const [run] = await this.backfills.progress(companyId, backfillId);
    if (!run) throw new NotFoundException(`no backfill ${backfillId}`);
    return run;
  }

  @Get('sync-summary')
  syncSummary(@Param('companyId') companyId: string) {
    return this.status.summary(companyId);
  }

  @Get('parked')
  async parked(@Param('companyId') companyId: string, @Query(new ZodPipe(pageQuery)) query: PageQuery, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const page = await this.status.parked(companyId, asPageRequest(query));
    return sendPage(request, response, page, page.items);
  }

  @Post('parked/retry')
  @RequiresRole('editor')
  @HttpCode(202)
  retryParked(@Param('companyId') companyId: string, @Req() request: Request) {
    return this.changes.track({ companyId, setting: 'parked-retry' }, actorOf(request), () => this.status.retryParked(companyId));
  }

  @Post('parked/:id/retry')
  @RequiresRole('editor')
  @HttpCode(202)
  retryParkedItem(@Param('companyId') companyId: string, @Param('id', deadLetterIdParam) id: string, @Req() request: Request) {
    return this.changes.track({ companyId, setting: 'parked-retry', subject: id }, actorOf(request), () => this.pauses.retryParkedItem(companyId, id));
  }

  /** Makes the company due for its TimeLog poll at once (the poller picks it up on its next round). */
  @Post('poll-now')
  @RequiresRole('editor')
  @HttpCode(202)
  pollNow(@Param('companyId') companyId: string, @Req() request: Request) {
    return this.changes.track({ companyId, setting: 'poll-now' }, actorOf(request), async () => {
      if (!(await this.polls.requestPollNow(companyId))) throw new AdministrationError(404, 'company.not_active', `Company ${companyId} is not active; activate it first`);
      return { status: 'scheduled' };
    });
  }

  /** Resyncs one Forecast time registration (or its TimeLog work) by the registration's id. */
  @Post('registrations/:registrationId/resync')
  @RequiresRole('editor')
  @HttpCode(202)
  resyncRegistration(@Param('companyId') companyId: string, @Param('registrationId', forecastId) registrationId: number, @Body(new ZodPipe(resyncRequest)) body: z.infer<typeof resyncRequest>, @Req() request: Request) {
    return this.resync(companyId, `registration ${registrationId}`, request, () => this.reconciliation.resyncEntry(companyId, { registrationId }, body?.side));
  }

  /** Resyncs one TimeLog work the sync knows, by its GUID. */
  @Post('works/:workGuid/resync')
  @RequiresRole('editor')
  @HttpCode(202)
  resyncWork(@Param('companyId') companyId: string, @Param('workGuid', workGuidParam) workGuid: WorkGuid, @Body(new ZodPipe(resyncRequest)) body: z.infer<typeof resyncRequest>, @Req() request: Request) {
    return this.resync(companyId, `work ${workGuid}`, request, () => this.reconciliation.resyncEntry(companyId, { workGuid }, body?.side));
  }

  /** Resends one Forecast task of a linked project to TimeLog. */
  @Post('tasks/:taskId/resync')
  @RequiresRole('editor')
  @HttpCode(202)
  resyncTask(@Param('companyId') companyId: string, @Param('taskId', forecastId) taskId: number, @Req() request: Request) {
    return this.resync(companyId, `task ${taskId}`, request, () => this.reconciliation.resyncTask(companyId, taskId));
  }

  private resync<T extends { summary: string }>(companyId: string, subject: string, request: Request, action: () => Promise<T>) {
    return this.changes.track({ companyId, setting: 'resync', subject }, actorOf(request), action, (outcome) => outcome.summary);
  }

  @Get('dead-letters')
  async deadLetters(@Param('companyId') companyId: string, @Query(new ZodPipe(pageQuery)) query: PageQuery, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const page = await this.status.deadLetters(companyId, asPageRequest(query));
    return sendPage(request, response, page, page.items);
  }

  @Get('rejected-webhooks')
  rejectedWebhooks(@Param('companyId') companyId: string) {
    return this.status.rejectedWebhooks(companyId);
  }

  @Post('dead-letters/:id/replay')
  @RequiresRole('editor')
  @HttpCode(202)
  replay(@Param('companyId') companyId: string, @Param('id', deadLetterIdParam) id: string, @Req() request: Request) {
    return this.changes.track({ companyId, setting: 'dead-letter-replay', subject: id }, actorOf(request), () => this.status.replayDeadLetter(companyId, id));
  }

  @Get('activity')
  async activity(@Param('companyId') companyId: string, @Query(new ZodPipe(activityQuery)) query: z.infer<typeof activityQuery>, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const page = await this.status.activity(companyId, { forecastId: query.forecastId, timelogRef: query.timelogRef }, asPageRequest(query));
    return sendPage(request, response, page, page.items);
  }

  /** Paused scopes with the number of changes waiting in each. */
  @Get('pauses')
  pausesOf(@Param('companyId') companyId: string) {
    return this.pauses.list(companyId);
  }

  @Put('pause')
  @RequiresRole('editor')
  @HttpCode(204)
  pauseCompany(@Param('companyId') companyId: string, @Req() request: Request) {
    return this.setPause(companyId, null, true, request);
  }

  @Delete('pause')
  @RequiresRole('editor')
  resumeCompany(@Param('companyId') companyId: string, @Req() request: Request) {
    return this.setPause(companyId, null, false, request);
  }

  @Put('projects/:projectId/pause')
  @RequiresRole('editor')
  @HttpCode(204)
  pauseProject(@Param('companyId') companyId: string, @Param('projectId', forecastId) projectId: number, @Req() request: Request) {
    return this.setPause(companyId, projectId, true, request);
  }

  @Delete('projects/:projectId/pause')
  @RequiresRole('editor')
  resumeProject(@Param('companyId') companyId: string, @Param('projectId', forecastId) projectId: number, @Req() request: Request) {
    return this.setPause(companyId, projectId, false, request);
  }

  private async setPause(companyId: string, projectId: number | null, paused: boolean, request: Request) {
    const actor = actorOf(request);
    const change = { companyId, setting: 'pause' as const, subject: projectId ?? undefined };
    if (paused) {
      await this.pauses.pause(companyId, projectId, actor);
      await this.changes.record(change, actor, `${projectId ? `Sync of Forecast project ${projectId}` : 'Sync of the company'} paused`, { paused: false }, { paused: true });
      return undefined;
    }
    const resumed = await this.pauses.resume(companyId, projectId);
    await this.changes.record(change, actor, `${projectId ? `Sync of Forecast project ${projectId}` : 'Sync of the company'} resumed; ${resumed.released} waiting changes released`, { paused: true }, { paused: false });
    return resumed;
  }

  /** Who changed what: newest first, filtered by setting and person, a page at a time. */
  @Get('settings-changes')
  settingsChanges(@Param('companyId') companyId: string, @Query(new ZodPipe(changesQuery)) query: z.infer<typeof changesQuery>) {
    return this.changes.list(companyId, query);
  }
}
