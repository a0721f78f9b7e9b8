import { CompanyFaults, CompanySettings, defaultFaults, defaultSettings } from './company-switches';
import type {
  CustomFieldEntity,
  Deletion,
  NonProjectTimeRecord,
  PersonRecord,
  ProjectRecord,
  RoleRecord,
  TaskRecord,
  TimeRegistrationRecord,
  WebhookSubscriptionRecord,
  WorkflowColumnRecord,
} from './records';

/** Everything one Forecast company (account) holds, in maps keyed by id. */
export class Company {
  readonly persons = new Map<number, PersonRecord>();
  readonly projects = new Map<number, ProjectRecord>();
  readonly workflowColumns = new Map<number, WorkflowColumnRecord>();
  readonly roles = new Map<number, RoleRecord>();
  readonly nonProjectTime = new Map<number, NonProjectTimeRecord>();
  readonly tasks = new Map<number, TaskRecord>();
  readonly timeRegistrations = new Map<number, TimeRegistrationRecord>();
  private readonly registrationIdsByTask = new Map<number, Set<number>>();
  readonly deletedTasks: Deletion<TaskRecord>[] = [];
  readonly deletedTimeRegistrations: Deletion<TimeRegistrationRecord>[] = [];
  readonly webhookSubscriptions = new Map<number, WebhookSubscriptionRecord>();
  readonly customFieldKeys: Record<CustomFieldEntity, Set<string>> = { TASK: new Set(), TIME_REG: new Set() };
  /** Calls per "METHOD /path/template", for tests asserting that no extra writes happened. */
  readonly callCounts = new Map<string, number>();
  inFlight = 0;
  maxInFlight = 0;
  settings: CompanySettings = defaultSettings();
  faults: CompanyFaults = defaultFaults();
  lastCompanyTaskId = 0;
  lastCompanyProjectId = 0;

  constructor(
    readonly id: string,
    readonly apiKey: string,
    /** The person the API key acts as (created_by/updated_by and webhook `person.id` of API writes). */
    readonly apiPersonId: number,
    private readonly allocateId: () => number,
  ) {}

  /** Ids are unique across companies, like Forecast's. */
  nextId(): number {
    return this.allocateId();
  }

  columnsOf(projectId: number): WorkflowColumnRecord[] {
    return [...this.workflowColumns.values()]
      .filter((column) => column.project_id === projectId)
      .sort((a, b) => a.sort_order - b.sort_order || a.id - b.id);
  }

  timeRegistrationsOfTask(taskId: number): TimeRegistrationRecord[] {
    return [...(this.registrationIdsByTask.get(taskId) ?? [])].map((id) => this.timeRegistrations.get(id)!);
  }

  putTimeRegistration(registration: TimeRegistrationRecord): void {
    this.timeRegistrations.set(registration.id, registration);
    if (registration.task === null) return;
    const ids = this.registrationIdsByTask.get(registration.task) ?? new Set<number>();
    this.registrationIdsByTask.set(registration.task, ids.add(registration.id));
  }

  removeTimeRegistration(registration: TimeRegistrationRecord): void {
    this.timeRegistrations.delete(registration.id);
    if (registration.task !== null) this.registrationIdsByTask.get(registration.task)?.delete(registration.id);
  }
}
