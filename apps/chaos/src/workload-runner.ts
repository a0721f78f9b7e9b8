import { DemoCompany, httpJson, pollUntil } from '@timelog-sync/testing';
import { CompanyModel, Content, ItemModel, Operation, Person, Place } from './workload-plan';
import { SeededRandom } from './seeded-random';
import { ForecastRegistration, registrationContent, sameContent, SimulatorState, workContent } from './simulator-state';
import { registrationOfWork } from './convergence-oracle';
import { externalKeyOfTask, workGuidOfRegistration } from './documented-rules';

/** The TimeLog project left unlinked, and its one task. */
export const UNLINKED_TIMELOG_PROJECT = { projectId: 102, name: 'Back office', tasks: [{ taskId: 950, name: 'Admin', allocatedInitials: ['AD', 'BD', 'CD'] }] };
const TIMELOG_ONLY_TASK = 900;
const INITIALS: Record<Person, string> = { ann: 'AD', bob: 'BD', carl: 'CD' };
const EMPLOYEE_ID: Record<Person, number> = { ann: 2, bob: 3, carl: 4 };
/** How long a user waits to see the other side before the run is declared stuck. */
const SYNC_WAIT_MS = 5 * 60_000;

export interface ChaosCompany {
  index: number;
  demo: DemoCompany;
  internalProjectId: number;
  internalTaskId: number;
}

export interface LogEntry {
  company: string;
  sequence: number;
  at: string;
  op: Operation;
  /** Ids the simulators gave what the operation created. */
  forecastId?: number;
}

export interface Endpoints {
  forecast: string;
  timelog: string;
  mapping: string;
  poller: string;
  operatorToken: string;
}

/** One company's share of the workload: the seeded plan, executed against the simulators and the admin API. */
export class CompanyWorkload {
  readonly model: CompanyModel;
  readonly log: LogEntry[] = [];
  readonly taskIds = new Map<string, number>();
  /** Registrations the workload itself created in Forecast, by item. */
  readonly registrationIds = new Map<string, number>();
  /** Waits for the other side that ran out: the user then edits what they see, and the run reports it. */
  readonly waitedInVain: string[] = [];
  private readonly random: SeededRandom;
  private sequence = 0;

  constructor(
    readonly company: ChaosCompany,
    seed: number,
    private readonly endpoints: Endpoints,
    private readonly state: SimulatorState,
    /** Wraps TimeLog users' writes (the fault injector keeps them out of jumped-clock windows). */
    private readonly asTimeLogUser: <T>(write: () => Promise<T>) => Promise<T> = (write) => write(),
  ) {
    this.model = new CompanyModel(company.index);
    this.random = new SeededRandom(seed * 7919 + company.index);
    this.taskIds.set('internal', company.internalTaskId);
  }

  get companyId() {
    return this.company.demo.companyId;
  }

  /** Runs until `stop()` says so or `maxOperations` are done, then the closing operations. */
  async run(stop: () => boolean, maxOperations = Infinity): Promise<number> {
    try {
      while (this.sequence < maxOperations && !stop()) {
        const op = this.model.nextOperation(this.random, this.sequence);
        await this.execute(op);
        await new Promise((resolve) => setTimeout(resolve, 200 + Math.random() * 800));
      }
      return this.sequence;
    } finally {
      // Even a stuck workload links everyone again and re-activates the company, so the oracle judges a final state.
      for (const op of this.model.closingOperations()) await this.execute(op);
    }
  }

  private async execute(op: Operation): Promise<void> {
    const entry: LogEntry = { company: this.companyId, sequence: this.sequence, at: new Date().toISOString(), op };
    entry.forecastId = await this.perform(op);
    this.model.apply(op);
    this.log.push(entry);
    this.sequence += 1;
  }

  private personId(person: Person): number {
    return this.company.demo.people[person];
  }

  private forecast(method: string, path: string, person: Person, body?: unknown) {
    return httpJson(method, `${this.endpoints.forecast}/_sim/companies/${this.companyId}/${path}?personId=${this.personId(person)}`, body);
  }

  private timelog(method: string, path: string, body?: unknown) {
    return this.asTimeLogUser(() => httpJson(method, `${this.endpoints.timelog}/_sim/sites/${this.company.demo.timelogAccount}/${path}`, body));
  }

  private async perform(op: Operation): Promise<number | undefined> {
    switch (op.kind) {
      case 'create-task': {
        const created = await this.forecast('POST', 'tasks', 'ann', {
          title: op.name,
          project_id: op.linked ? this.company.demo.forecastProjectId : this.company.internalProjectId,
          parent_task_id: op.parent ? this.taskIds.get(op.parent) : null,
          assigned_persons: op.assignees.map((person) => this.personId(person)),
        });
        this.taskIds.set(op.task, created.id);
        return created.id;
      }
      case 'rename-task':
        await this.forecast('PUT', `tasks/${this.taskIds.get(op.task)}`, 'ann', { title: op.name });
        return undefined;
      case 'assign':
      case 'unassign': {
        const task = this.model.tasks.get(op.task)!;
        const assignees = op.kind === 'assign' ? [...task.assignees, op.person] : task.assignees.filter((person) => person !== op.person);
        await this.forecast('PUT', `tasks/${this.taskIds.get(op.task)}`, 'ann', { assigned_persons: assignees.map((person) => this.personId(person)) });
        return undefined;
      }
      case 'delete-task':
        await this.forecast('DELETE', `tasks/${this.taskIds.get(op.task)}`, 'ann');
        return undefined;
      case 'register': {
        const created = await this.forecast('POST', 'time_registrations', op.person, {
          person: this.personId(op.person), task: this.taskIds.get(op.task), time_registered: op.content.minutes, date: op.content.date, notes: op.content.note,
        });
        this.registrationIds.set(op.item, created.id);
        return created.id;
      }
      case 'edit-registration':
      case 'delete-registration': {
        const item = this.model.items.get(op.item)!;
        const id = op.crossSide ? (await this.waitForRegistration(item)).id : this.registrationIds.get(op.item)!;
        if (op.kind === 'edit-registration') await this.forecast('PUT', `time_registrations/${id}`, item.person, { time_registered: op.content.minutes, date: op.content.date, notes: op.content.note });
        else await this.forecast('DELETE', `time_registrations/${id}`, item.person);
        return undefined;
      }
      case 'log-work': {
        const taskId = await this.timelogTaskFor(op.place, op.person);
        await this.timelog('POST', 'work', { initials: INITIALS[op.person], taskId, date: op.content.date, minutes: op.content.minutes, description: op.content.note, guid: op.guid });
        return undefined;
      }
      case 'edit-work':
      case 'delete-work': {
        const item = this.model.items.get(op.item)!;
        const guid = this.workGuid(item);
        if (op.crossSide) await this.waitForWork(item, guid);
        if (op.kind === 'edit-work') await this.timelog('PATCH', `work/${guid}`, { minutes: op.content.minutes, date: op.content.date, description: op.content.note });
        else await this.timelog('DELETE', `work/${guid}`);
        return undefined;
      }
      case 'unlink-bob':
        await this.admin('DELETE', `people/${this.personId('bob')}/link`);
        return undefined;
      case 'relink-bob':
        await this.admin('PUT', `people/${this.personId('bob')}/link`, { timelogInitials: 'BD' });
        return undefined;
      case 'deactivate':
        await this.admin('DELETE', 'activation');
        return undefined;
      case 'reactivate':
        await this.admin('PUT', 'activation', { ...this.company.demo.activation, pollIntervalMinutes: 1 });
        return undefined;
    }
  }

  /** The GUID of an item's TimeLog work: its own for TimeLog work, the documented UUIDv5 for a registration. */
  workGuid(item: ItemModel): string {
    if (item.origin === 'timelog') return (this.log.find((entry) => entry.op.kind === 'log-work' && entry.op.item === item.key)!.op as { guid: string }).guid;
    return workGuidOfRegistration(this.companyId, this.registrationIds.get(item.key)!);
  }

  /** Admin actions go through the mapping service, which may be down (SIGKILLed) for a few seconds. */
  private async admin(method: string, path: string, body?: unknown) {
    await pollUntil(
      () =>
        httpJson(method, `${this.endpoints.mapping}/companies/${this.companyId}/${path}`, body, { authorization: `Bearer ${this.company.demo.adminKey}` }).then(
          () => true,
          () => false,
        ),
      { timeoutMs: SYNC_WAIT_MS, intervalMs: 1000, description: `${this.companyId}: ${method} ${path}` },
    );
  }

  /** A user reacting to what they see: the item's last edit has reached Forecast. */
  private async waitForRegistration(item: ItemModel): Promise<ForecastRegistration> {
    const guid = this.workGuid(item);
    const find = async (content: Content | null) => {
      const registrations = await this.state.registrations(this.companyId);
      const own = this.registrationIds.get(item.key);
      const candidates =
        own !== undefined
          ? registrations.filter((r) => r.id === own)
          : registrationOfWork(registrations, guid, { personId: this.personId(item.person), content: content ?? item.content, workloadIds: new Set(this.registrationIds.values()), claimed: new Set() });
      return candidates.find((r) => !content || sameContent(registrationContent(r), content));
    };
    const description = `${this.companyId}: Forecast shows ${item.key} (${JSON.stringify(item.content)})`;
    try {
      return await pollUntil(async () => (await this.pollNow(), find(item.content)), { timeoutMs: SYNC_WAIT_MS, intervalMs: 2000, description });
    } catch (error) {
      this.waitedInVain.push((error as Error).message);
      const seen = await find(null);
      if (!seen) throw error;
      return seen;
    }
  }

  private async waitForWork(item: ItemModel, guid: string): Promise<void> {
    await pollUntil(
      async () => {
        const work = (await this.state.work(this.company.demo.timelogAccount)).find((w) => w.guid.toLowerCase() === guid);
        return !!work && sameContent(workContent(work), item.content);
      },
      { timeoutMs: SYNC_WAIT_MS, intervalMs: 1000, description: `${this.companyId}: TimeLog shows ${item.key} (${JSON.stringify(item.content)})` },
    ).catch((error: Error) => void this.waitedInVain.push(error.message));
  }

  private async timelogTaskFor(place: Place, person: Person): Promise<number> {
    if (place.kind === 'timelog-only') return TIMELOG_ONLY_TASK;
    if (place.kind === 'unlinked-timelog') return UNLINKED_TIMELOG_PROJECT.tasks[0].taskId;
    const key = externalKeyOfTask(this.taskIds.get(place.task)!);
    return pollUntil(
      async () => {
        const task = (await this.state.timelogTasks(this.company.demo.timelogAccount)).find((t) => t.externalKeys.some((k) => k.externalId === key));
        if (!task) return undefined;
        const allocated = (await this.state.allocations(this.company.demo.timelogAccount)).some((a) => a.taskId === task.taskId && a.employeeId === EMPLOYEE_ID[person] && !a.isComplete);
        return allocated ? task.taskId : undefined;
      },
      { timeoutMs: SYNC_WAIT_MS, intervalMs: 1000, description: `${this.companyId}: TimeLog task ${key} with ${person} allocated` },
    );
  }

  /** The admin's "poll now" (the poller may be down: then the schedule does it). */
  pollNow(): Promise<unknown> {
    return httpJson('POST', `${this.endpoints.poller}/companies/${this.companyId}/poll-now`, undefined, { authorization: `Bearer ${this.endpoints.operatorToken}` }).catch(() => undefined);
  }
}

export const contentOf = (content: Content) => `${content.date} ${content.minutes}m "${content.note}"`;
