import { BadRequestException, Body, Controller, Delete, Get, HttpCode, NotFoundException, Param, Patch, Post, Put, UnprocessableEntityException } from '@nestjs/common';
import { z, ZodTypeAny } from 'zod';
import { SiteChaos } from '../soap/site-chaos';
import { Clock } from '../store/clock';
import { SimulatorStore } from '../store/simulator-store';
import { Site } from '../store/site';
import { Outcome } from '../store/rule-violation';
import { Work } from '../store/site-model';
import { clockBody, closedWeekBody, employeePatch, faultBody, passwordBody, refusalShapeBody, siteBody, userWorkBody, userWorkPatch } from './control.schemas';
import { seedSite } from './site-seed';

function parse<S extends ZodTypeAny>(schema: S, body: unknown): z.infer<S> {
  const result = schema.safeParse(body ?? {});
  if (!result.success) throw new BadRequestException({ error: { code: 'invalid_body', errors: result.error.issues } });
  return result.data;
}

const ACCOUNT = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** JSON control API beside the SOAP services: seed sites, act as a TimeLog user, inject faults, inspect state. */
@Controller('_sim')
export class ControlController {
  constructor(
    private readonly store: SimulatorStore,
    private readonly chaos: SiteChaos,
    private readonly clock: Clock,
  ) {}

  @Post('reset')
  @HttpCode(204)
  reset(): void {
    this.store.clear();
    this.chaos.forget();
    this.clock.pin(undefined);
  }

  @Put('clock')
  pinClock(@Body() body: unknown) {
    const { now } = parse(clockBody, body);
    this.clock.pin(now === null ? undefined : new Date(now));
    return { now: this.clock.now().toISOString() };
  }

  @Put('sites/:account')
  putSite(@Param('account') account: string, @Body() body: unknown) {
    if (!ACCOUNT.test(account)) throw new BadRequestException({ error: { code: 'invalid_account' } });
    let site: Site;
    try {
      site = seedSite(account, parse(siteBody, body), this.clock.now());
    } catch (error) {
      if (error instanceof BadRequestException) throw error;
      throw new BadRequestException({ error: { code: 'invalid_site', message: (error as Error).message } });
    }
    this.store.put(site);
    this.chaos.forget(account);
    return this.summary(site);
  }

  @Get('sites/:account')
  getSite(@Param('account') account: string) {
    return this.summary(this.site(account));
  }

  @Get('sites/:account/tasks')
  tasks(@Param('account') account: string) {
    return [...this.site(account).tasks.values()];
  }

  @Get('sites/:account/allocations')
  allocations(@Param('account') account: string) {
    return [...this.site(account).allocations.values()];
  }

  @Get('sites/:account/work')
  work(@Param('account') account: string) {
    const site = this.site(account);
    return [...site.work.values()].map((work) => this.workView(site, work));
  }

  @Post('sites/:account/work')
  registerWork(@Param('account') account: string, @Body() body: unknown) {
    const site = this.site(account);
    const input = parse(userWorkBody, body);
    const actor = site.findEmployee(input.initials);
    if (!actor) throw new UnprocessableEntityException({ error: { code: 'unknown_employee' } });
    const written = site.insertWork(
      {
        guid: input.guid ?? '',
        taskId: input.taskId,
        employeeRef: input.initials,
        minutes: input.minutes,
        billableMinutes: null,
        startDateTime: `${input.date}T00:00:00`,
        endDateTime: '0001-01-01T00:00:00',
        description: input.description,
        additionalText: '',
        isMeeting: false,
      },
      actor,
      this.clock.now(),
    );
    return this.written(site, written);
  }

  @Patch('sites/:account/work/:guid')
  editWork(@Param('account') account: string, @Param('guid') guid: string, @Body() body: unknown) {
    const site = this.site(account);
    const patch = parse(userWorkPatch, body);
    const existing = this.existingWork(site, guid);
    const actor = site.employees.get(existing.employeeId);
    if (!actor) throw new UnprocessableEntityException({ error: { code: 'unknown_employee' } });
    const written = site.updateWork(
      {
        guid: existing.guid,
        taskId: patch.taskId ?? existing.taskId,
        employeeRef: actor.initials,
        minutes: patch.minutes ?? existing.minutes,
        billableMinutes: existing.billableMinutes,
        startDateTime: patch.date ? `${patch.date}T00:00:00` : existing.startDateTime,
        endDateTime: existing.endDateTime,
        description: patch.description ?? existing.description,
        additionalText: existing.additionalText,
        isMeeting: existing.isMeeting,
      },
      actor,
      this.clock.now(),
    );
    return this.written(site, written);
  }

  @Delete('sites/:account/work/:guid')
  deleteWork(@Param('account') account: string, @Param('guid') guid: string) {
    const site = this.site(account);
    return this.written(site, site.deleteWork(guid, this.clock.now()));
  }

  @Patch('sites/:account/employees/:employeeId')
  editEmployee(@Param('account') account: string, @Param('employeeId') employeeId: string, @Body() body: unknown) {
    const site = this.site(account);
    const patch = parse(employeePatch, body);
    const employee = site.employees.get(Number(employeeId));
    if (!employee) throw new NotFoundException({ error: { code: 'unknown_employee' } });
    const other = patch.initials && site.findEmployee(patch.initials);
    if (other && other.employeeId !== employee.employeeId) throw new UnprocessableEntityException({ error: { code: 'initials_taken' } });
    site.employees.set(employee.employeeId, { ...employee, ...patch });
    this.store.changed();
    const { password: _, ...view } = site.employees.get(employee.employeeId)!;
    return view;
  }

  @Put('sites/:account/closed-weeks')
  closeWeek(@Param('account') account: string, @Body() body: unknown) {
    const site = this.site(account);
    const input = parse(closedWeekBody, body);
    const employee = site.findEmployee(input.initials);
    if (!employee) throw new UnprocessableEntityException({ error: { code: 'unknown_employee' } });
    site.setWeekClosed(employee.employeeId, input.date, input.closed);
    this.store.changed();
    return { initials: employee.initials, date: input.date, closed: site.isWeekClosed(employee.employeeId, input.date) };
  }

  /** Per-item containers or the whole envelope refused; `null` restores the captured default. */
  @Put('sites/:account/refusal-shape')
  setRefusalShape(@Param('account') account: string, @Body() body: unknown) {
    const site = this.site(account);
    const { refusalShape } = parse(refusalShapeBody, body);
    if (refusalShape) site.settings.refusalShape = refusalShape;
    else delete site.settings.refusalShape;
    this.store.changed();
    return { refusalShape };
  }

  /** An administrator changes an employee's password in TimeLog; the employee's issued tokens stop working. */
  @Put('sites/:account/employees/:initials/password')
  @HttpCode(204)
  changePassword(@Param('account') account: string, @Param('initials') initials: string, @Body() body: unknown): void {
    const site = this.site(account);
    const employee = site.findEmployee(initials);
    if (!employee) throw new NotFoundException({ error: { code: 'unknown_employee' } });
    site.changePassword(employee, parse(passwordBody, body).password);
    this.store.changed();
  }

  @Put('sites/:account/faults')
  setFaults(@Param('account') account: string, @Body() body: unknown) {
    this.site(account);
    const plan = parse(faultBody, body);
    this.chaos.setPlan(account, plan);
    return plan;
  }

  @Delete('sites/:account/faults')
  @HttpCode(204)
  clearFaults(@Param('account') account: string): void {
    this.chaos.clearPlan(account);
  }

  @Get('sites/:account/calls')
  calls(@Param('account') account: string) {
    return this.chaos.calls(account);
  }

  private site(account: string): Site {
    const site = this.store.site(account);
    if (!site) throw new NotFoundException({ error: { code: 'unknown_site' } });
    return site;
  }

  private existingWork(site: Site, guid: string): Work {
    const work = site.work.get(guid.toLowerCase());
    if (!work) throw new NotFoundException({ error: { code: 'unknown_work' } });
    return work;
  }

  private written(site: Site, outcome: Outcome<Work>) {
    if (!outcome.ok) throw new UnprocessableEntityException({ error: { code: outcome.violation.code, message: outcome.violation.message } });
    this.store.changed();
    return this.workView(site, outcome.value);
  }

  private workView(site: Site, work: Work) {
    return { ...work, initials: site.employees.get(work.employeeId)?.initials, isEditable: site.isEditable(work) };
  }

  private summary(site: Site) {
    return {
      accountName: site.settings.accountName,
      refusalShape: site.settings.refusalShape ?? null,
      employees: [...site.employees.values()].map(({ password: _, ...employee }) => employee),
      projects: [...site.projects.values()],
    };
  }
}
