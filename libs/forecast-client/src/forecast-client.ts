import {
  DeletedForecastTask,
  DeletedTimeRegistration,
  ForecastTask,
  ForecastTaskChanges,
  NewForecastTask,
  NewTimeRegistration,
  NewWebhookSubscription,
  Person,
  Project,
  TimeRegistration,
  TimeRegistrationChanges,
  WebhookSubscription,
  WorkflowColumn,
  formatDateAfter,
  formatUpdatedAfter,
} from '@timelog-sync/domain';
import { malformedResponse } from './forecast-errors';
import { ForecastClientOptions, ForecastConnection, ForecastRequest, ForecastTransport } from './forecast-transport';
import {
  Wire,
  WireShapeError,
  newTimeRegistrationToWire,
  taskToWire,
  timeRegistrationChangesToWire,
  toDeletedTask,
  toDeletedTimeRegistration,
  toForecastTask,
  toPerson,
  toProject,
  toTimeRegistration,
  toWebhookSubscription,
  toWorkflowColumn,
} from './forecast-wire';
import { Page, readAllPages, TooManyPagesError } from './pagination';

/** An incremental window: records changed after `since - overlapMs` (Forecast's filter is second-precise). */
export interface ChangedSince {
  since: Date;
  overlapMs: number;
}

export type TimeRegistrationFilter = { updatedAfter: ChangedSince } | { dateAfter: string } | Record<string, never>;

// Forecast publishes no maximum ("subject to change"): ask for 1,000 and follow the page size it reports back.
const PAGE_SIZE = 1000;

/** Forecast REST API for one company. Paths and versions are per operation, as the vendor publishes them. */
export class ForecastClient {
  constructor(private readonly transport: ForecastTransport) {}

  /** Until when calls are refused because Forecast pushed back (429 Retry-After, timeout); null when they go out. */
  pausedUntil(): Date | null {
    return this.transport.pausedUntil();
  }

  async createTask(task: NewForecastTask): Promise<ForecastTask> {
    return this.one('createTask', { method: 'POST', path: '/api/v3/tasks', body: taskToWire(task) }, toForecastTask);
  }

  async updateTask(taskId: number, changes: ForecastTaskChanges): Promise<ForecastTask> {
    const request = { method: 'PUT', path: '/api/v3/tasks/{taskId}', params: { taskId }, body: taskToWire(changes) } as const;
    return this.one('updateTask', request, toForecastTask);
  }

  /** Custom field keys must exist in Forecast already; a null value clears the field. */
  async setTaskCustomFields(taskId: number, values: Record<string, string | null>): Promise<ForecastTask> {
    const request = { method: 'PUT', path: '/api/v3/tasks/{taskId}/custom_fields', params: { taskId }, body: values } as const;
    return this.one('setTaskCustomFields', request, toForecastTask);
  }

  async getTask(taskId: number): Promise<ForecastTask> {
    const request = { method: 'GET', path: '/api/v3/tasks/{taskId}', params: { taskId }, query: { includeCustomFields: true } } as const;
    return this.one('getTask', request, toForecastTask);
  }

  /** The whole company (v4, paged) or one project (v3, which has the project filter). */
  async listTasks(projectId?: number): Promise<ForecastTask[]> {
    if (projectId === undefined) return this.pages('listTasks', '/api/v4/tasks', {}, toForecastTask);
    const request = { method: 'GET', path: '/api/v3/projects/{projectId}/tasks', params: { projectId } } as const;
    return this.many('listTasks', request, toForecastTask);
  }

  async listTasksUpdatedAfter(since: Date, overlapMs: number): Promise<ForecastTask[]> {
    const params = { timestamp: formatUpdatedAfter(since, overlapMs) };
    return this.pages('listTasksUpdatedAfter', '/api/v4/tasks/updated_after/{timestamp}', params, toForecastTask);
  }

  async deleteTask(taskId: number): Promise<void> {
    await this.call('deleteTask', { method: 'DELETE', path: '/api/v2/tasks/{taskId}', params: { taskId } });
  }

  /** v2, because unlike v4 it filters by deletion time. */
  async listDeletedTasks(deletedAfter?: ChangedSince): Promise<DeletedForecastTask[]> {
    const query = { updated_after: deletedAfter && formatUpdatedAfter(deletedAfter.since, deletedAfter.overlapMs) };
    return this.many('listDeletedTasks', { method: 'GET', path: '/api/v2/tasks/deleted', query }, toDeletedTask);
  }

  async createTimeRegistration(registration: NewTimeRegistration): Promise<TimeRegistration> {
    const request = { method: 'POST', path: '/api/v1/time_registrations', body: newTimeRegistrationToWire(registration) } as const;
    return this.one('createTimeRegistration', request, toTimeRegistration);
  }

  /** Person, task and project cannot change in Forecast; moving time is delete + create. */
  async updateTimeRegistration(timeRegistrationId: number, changes: TimeRegistrationChanges): Promise<TimeRegistration> {
    const request = {
      method: 'PUT',
      path: '/api/v1/time_registrations/{timeRegistrationId}',
      params: { timeRegistrationId },
      body: timeRegistrationChangesToWire(changes),
    } as const;
    return this.one('updateTimeRegistration', request, toTimeRegistration);
  }

  async setTimeRegistrationCustomFields(timeRegistrationId: number, values: Record<string, string | null>): Promise<TimeRegistration> {
    const request = {
      method: 'PUT',
      path: '/api/v1/time_registrations/{timeRegistrationId}/custom_fields',
      params: { timeRegistrationId },
      body: values,
    } as const;
    return this.one('setTimeRegistrationCustomFields', request, toTimeRegistration);
  }

  async deleteTimeRegistration(timeRegistrationId: number): Promise<void> {
    const path = '/api/v1/time_registrations/{timeRegistrationId}';
    await this.call('deleteTimeRegistration', { method: 'DELETE', path, params: { timeRegistrationId } });
  }

  /** v3 single read: a task registration's project is only known when Forecast includes it (v4 lists always do). */
  async getTimeRegistration(timeRegistrationId: number): Promise<TimeRegistration> {
    const request = {
      method: 'GET',
      path: '/api/v3/time_registrations/{timeRegistrationId}',
      params: { timeRegistrationId },
      query: { includeCustomFields: true },
    } as const;
    return this.one('getTimeRegistration', request, toTimeRegistration);
  }

  /** `includeCustomFields` adds each registration's custom fields (e.g. the TimeLog work GUID we keep there). */
  async listTimeRegistrations(filter: TimeRegistrationFilter = {}, options: { includeCustomFields?: boolean } = {}): Promise<TimeRegistration[]> {
    if ('updatedAfter' in filter && 'dateAfter' in filter) throw new RangeError('use either updatedAfter or dateAfter');
    const query: Record<string, string> = options.includeCustomFields ? { includeCustomFields: 'true' } : {};
    if ('updatedAfter' in filter) {
      const timestamp = formatUpdatedAfter(filter.updatedAfter.since, filter.updatedAfter.overlapMs);
      const path = '/api/v4/time_registrations/updated_after/{timestamp}';
      return this.pages('listTimeRegistrations', path, { timestamp }, toTimeRegistration, query);
    }
    if ('dateAfter' in filter) {
      const path = '/api/v4/time_registrations/date_after/{date}';
      return this.pages('listTimeRegistrations', path, { date: formatDateAfter(filter.dateAfter) }, toTimeRegistration, query);
    }
    return this.pages('listTimeRegistrations', '/api/v4/time_registrations', {}, toTimeRegistration, query);
  }

  /**
   * One page (v4, ordered by id) of registrations dated after a date or changed after a moment, for a reader that
   * stops or checkpoints between pages; `last` once the pages read cover Forecast's total. With `only`, just those
   * ids are decoded (a burst's few among a page of 1,000), `lastId` still says where the page ended.
   */
  async timeRegistrationsPage(
    filter: { dateAfter: string } | { updatedAfter: ChangedSince },
    pageNumber: number,
    only?: ReadonlySet<number>,
  ): Promise<{ registrations: TimeRegistration[]; lastId: number | null; totalObjectCount: number; pageSize: number; last: boolean }> {
    const operation = 'listTimeRegistrations';
    const page =
      'dateAfter' in filter
        ? await this.page(operation, '/api/v4/time_registrations/date_after/{date}', { date: formatDateAfter(filter.dateAfter) }, {}, pageNumber)
        : await this.page(operation, '/api/v4/time_registrations/updated_after/{timestamp}', { timestamp: formatUpdatedAfter(filter.updatedAfter.since, filter.updatedAfter.overlapMs) }, {}, pageNumber);
    const idOf = (raw: unknown) => (raw as { id?: unknown } | null)?.id;
    const wanted = only ? page.pageContents.filter((raw) => only.has(idOf(raw) as number)) : page.pageContents;
    const lastId = idOf(page.pageContents.at(-1));
    return {
      registrations: wanted.map((raw) => decode(operation, raw, toTimeRegistration)),
      lastId: typeof lastId === 'number' ? lastId : null,
      totalObjectCount: page.totalObjectCount,
      pageSize: page.pageSize,
      last: page.pageContents.length === 0 || page.pageNumber * page.pageSize >= page.totalObjectCount,
    };
  }

  /** v3, because unlike v4 it filters by deletion time. */
  async listDeletedTimeRegistrations(deletedAfter?: ChangedSince): Promise<DeletedTimeRegistration[]> {
    const query = { updated_after: deletedAfter && formatUpdatedAfter(deletedAfter.since, deletedAfter.overlapMs) };
    const request = { method: 'GET', path: '/api/v3/time_registrations/deleted', query } as const;
    return this.many('listDeletedTimeRegistrations', request, toDeletedTimeRegistration);
  }

  async listPersons(): Promise<Person[]> {
    return this.many('listPersons', { method: 'GET', path: '/api/v2/persons' }, toPerson);
  }

  async getPerson(personId: number): Promise<Person> {
    return this.one('getPerson', { method: 'GET', path: '/api/v2/persons/{personId}', params: { personId } }, toPerson);
  }

  async listProjects(): Promise<Project[]> {
    return this.many('listProjects', { method: 'GET', path: '/api/v1/projects' }, toProject);
  }

  async getProject(projectId: number): Promise<Project> {
    return this.one('getProject', { method: 'GET', path: '/api/v1/projects/{projectId}', params: { projectId } }, toProject);
  }

  /** A task's status is the category of its workflow column. */
  async listWorkflowColumns(projectId: number): Promise<WorkflowColumn[]> {
    const request = { method: 'GET', path: '/api/v1/projects/{projectId}/workflow_columns', params: { projectId } } as const;
    return this.many('listWorkflowColumns', request, (raw) => toWorkflowColumn(projectId, raw));
  }

  async createWebhookSubscription(subscription: NewWebhookSubscription): Promise<WebhookSubscription> {
    const request = { method: 'POST', path: '/api/v1/webhook_subscriptions', body: subscription } as const;
    return this.one('createWebhookSubscription', request, toWebhookSubscription);
  }

  async listWebhookSubscriptions(): Promise<WebhookSubscription[]> {
    return this.many('listWebhookSubscriptions', { method: 'GET', path: '/api/v1/webhook_subscriptions' }, toWebhookSubscription);
  }

  async deleteWebhookSubscription(subscriptionId: number): Promise<void> {
    const path = '/api/v1/webhook_subscriptions/{subscriptionId}';
    await this.call('deleteWebhookSubscription', { method: 'DELETE', path, params: { subscriptionId } });
  }

  private call<T>(operation: string, request: Omit<ForecastRequest, 'operation'>): Promise<T> {
    return this.transport.request<T>({ operation, ...request });
  }

  private async one<T>(operation: string, request: Omit<ForecastRequest, 'operation'>, map: (raw: Wire) => T): Promise<T> {
    return decode(operation, await this.call<unknown>(operation, request), map);
  }

  private async many<T>(operation: string, request: Omit<ForecastRequest, 'operation'>, map: (raw: Wire) => T): Promise<T[]> {
    const body = await this.call<unknown>(operation, request);
    if (!Array.isArray(body)) throw malformedResponse(operation, 'expected a JSON array');
    return body.map((raw) => decode(operation, raw, map));
  }

  private async page(operation: string, path: string, params: Record<string, string>, extraQuery: Record<string, string>, pageNumber: number): Promise<Page<unknown>> {
    const query = { ...extraQuery, pageNumber, pageSize: PAGE_SIZE };
    const page = await this.call<Page<unknown> | undefined>(operation, { method: 'GET', path, params, query });
    if (!Array.isArray(page?.pageContents) || typeof page.totalObjectCount !== 'number' || typeof page.pageSize !== 'number' || page.pageSize < 1) {
      throw malformedResponse(operation, 'expected a v4 page envelope');
    }
    return page;
  }

  private async pages<T>(operation: string, path: string, params: Record<string, string>, map: (raw: Wire) => T, extraQuery: Record<string, string> = {}): Promise<T[]> {
    const raws = await readAllPages((pageNumber) => this.page(operation, path, params, extraQuery, pageNumber)).catch((error: unknown) => {
      throw error instanceof TooManyPagesError ? malformedResponse(operation, error.message) : error;
    });
    return raws.map((raw) => decode(operation, raw, map));
  }
}

function decode<T>(operation: string, raw: unknown, map: (raw: Wire) => T): T {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw malformedResponse(operation, 'expected a JSON object');
  try {
    return map(raw as Wire);
  } catch (error) {
    if (error instanceof WireShapeError) throw malformedResponse(operation, error.message);
    throw error;
  }
}

export function createForecastClient(connection: ForecastConnection, options?: ForecastClientOptions): ForecastClient {
  return new ForecastClient(new ForecastTransport(connection, options));
}
