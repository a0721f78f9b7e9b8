import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import {
  Allocation,
  BatchItemResult,
  ExternalCallError,
  ExternalKey,
  minutesToDecimalHours,
  Page,
  ReportedWork,
  TaskStatus,
  TimeLogProject,
  TimeLogTask,
  TimeLogTaskDraft,
  TimeLogUser,
  VendorPause,
  Work,
  WorkChange,
} from '@timelog-sync/domain';
import { ApiEnvelope, batchItems, envelopeFailure, isTokenRejection, returnedItems, singleItem, totalPageCount } from './api-envelope';
import { transportFailure } from './call-failure';
import { readContract, securityTokenContract } from './contract-schemas';
import {
  allocationFromContract,
  projectFromHeader,
  projectFromReadModel,
  taskFromContract,
  userFromEmployee,
  userFromSecurityUser,
  workChangeFromFlat,
  workFromUnit,
} from './domain-mapping';
import { readReportingDocument, reportedEmployee, reportedProject, reportedTask, reportedWork } from './reporting-documents';
import { SecurityToken, SiteToken, utcOffsetMinutesOf } from './site-token';
import { bool } from './soap-values';
import { forgetLastExchange, serviceEndpoint, SiteCallOptions, soapClient, TimeLogService } from './soap-services';
import { siteBaseUrl, TimeLogSite } from './timelog-site';
import { traced } from './traced';
import { localDayStart, SOURCE_EXTERNAL, taskElementXml, tokenElement, workUnitsXml } from './wire-requests';

export interface TimeLogClientOptions {
  /** Per-call timeout; the SDK's default is 60 s. */
  timeoutMs?: number;
  /**
   * After a timed-out call, refuse this site's calls for this long (a Retry-After always pauses them), so callers
   * defer its work rather than wait; unset, a timeout does not pause.
   */
  pauseAfterTimeoutSeconds?: number;
  /** Renew the token this long before `Expires` (the SDK uses one minute). */
  tokenRenewMarginMs?: number;
  now?: () => number;
  /** A larger response is refused while it streams in (axios `maxContentLength`), never held in memory. */
  maxResponseBytes?: number;
}

export interface WorkChangeLogQuery {
  /** `YYYY-MM-DD`; TimeLog compares whole days of the change date. */
  from: string;
  to: string;
  page: number;
  pageSize: number;
  includeCreates?: boolean;
  includeUpdates?: boolean;
  includeDeletes?: boolean;
}

export interface ReportedWorkQuery {
  from?: string;
  to?: string;
  workUnitId?: number;
  employeeId?: number;
  taskId?: number;
  projectId?: number;
}

const ALL_PROJECT_STATUSES = -1;
/**
 * One token per site login, least recently used dropped first (a dropped one costs one GetToken later). Tokens live
 * 12 hours and an entry is about half a kilobyte, so every company of a large poller keeps its token across
 * 15-minute cycles: with fewer entries than companies each poll began with a GetToken, a third of its calls.
 */
const siteTokens = new LRUCache<string, SiteToken>({ max: 20_000 });

export type TimeLogClient = ReturnType<typeof createTimeLogClient>;

/** A TimeLog site's Transactional and Reporting APIs as domain-typed calls; errors are {@link ExternalCallError}s. */
export function createTimeLogClient(site: TimeLogSite, options: TimeLogClientOptions = {}) {
  const baseUrl = siteBaseUrl(site);
  const callOptions = { timeout: options.timeoutMs ?? 60_000, maxContentLength: options.maxResponseBytes ?? 32 * 2 ** 20 };
  const pause = new VendorPause('timelog', options.pauseAfterTimeoutSeconds);

  function invoke(service: TimeLogService, operation: string, args: object): Promise<{ result: any }> {
    return pause.run(operation, () => invokeNow(service, operation, args));
  }

  async function invokeNow(service: TimeLogService, operation: string, args: object): Promise<{ result: any }> {
    const client = await soapClient(service).catch((error: Error) => {
      throw new ExternalCallError('timelog', operation, 'permanent', `cannot load WSDL: ${error.message}`, 'wsdl');
    });
    try {
      const [result] = await client[`${operation}Async`](args, { ...callOptions, siteEndpoint: serviceEndpoint(service, baseUrl) } satisfies SiteCallOptions);
      return { result: result?.[`${operation}Result`] };
    } catch (error) {
      throw transportFailure(operation, error);
    } finally {
      forgetLastExchange(client);
    }
  }

  const tokenKey = `${baseUrl}\u0000${site.username}\u0000${createHash('sha256').update(site.password).digest('hex')}`;
  const siteToken = siteTokens.get(tokenKey) ?? new SiteToken(options.tokenRenewMarginMs ?? 60_000, options.now);
  siteTokens.set(tokenKey, siteToken);
  async function issueToken(): Promise<SecurityToken> {
    const { result } = await invoke('security', 'GetToken', { user: site.username, password: site.password });
    const [issued] = returnedItems('GetToken', result, 'SecurityToken');
    if (!issued) throw envelopeFailure('GetToken', result);
    const { Initials, Expires, Hash } = readContract('SecurityToken', securityTokenContract, issued);
    // A copy: the parsed values are slices of the whole response, which a cached token would keep alive (1.4 KB a
    // site, every site a poller walks).
    return structuredClone({ Initials, Expires, Hash } satisfies SecurityToken);
  }
  const currentToken = () => siteToken.get(issueToken);

  /** Calls with the cached token; a call refused for its token gets one retry with a fresh token. */
  async function withToken(service: TimeLogService, operation: string, args: (token: object) => object): Promise<ApiEnvelope> {
    const first = await currentToken();
    const { result } = await invoke(service, operation, args(tokenElement(first)));
    if (!isTokenRejection(result)) return result;
    siteToken.invalidate(first);
    return (await invoke(service, operation, args(tokenElement(await currentToken())))).result;
  }

  const pm = (operation: string, args: (token: object) => object) => withToken('projectManagement', operation, args);

  const credentials = () => ({ siteCode: site.siteCode, apiID: site.reportingUsername, apiPassword: site.reportingPassword });
  async function report(operation: string, params: object, root: string, item: string) {
    const { result } = await invoke('reporting', operation, { ...credentials(), ...params });
    return readReportingDocument(operation, result, root, item);
  }
  const workUnitFilters = (query: ReportedWorkQuery) => ({
    workUnitID: query.workUnitId ?? 0,
    employeeID: query.employeeId ?? 0,
    allocationID: 0,
    taskID: query.taskId ?? 0,
    projectID: query.projectId ?? 0,
    departmentID: 0,
    startDate: query.from ?? '',
    endDate: query.to ?? '',
  });

  async function getTaskById(taskId: number, loadExternalKeys = true): Promise<TimeLogTask | null> {
    const result = await pm('GetTaskByID', (token) => ({ taskID: taskId, loadExternalKeys, token }));
    const [task] = returnedItems('GetTaskByID', result, 'Task');
    return task ? taskFromContract(task) : null;
  }

  /** CreateTask and CreateSubTask differ only in the parameters between `task` and `token`. */
  async function createdTask(operation: 'CreateTask' | 'CreateSubTask', where: object, draft: TimeLogTaskDraft): Promise<BatchItemResult<TimeLogTask>> {
    const result = await pm(operation, (token) => ({ task: { $xml: taskElementXml(draft, 'Created') }, ...where, token }));
    const [outcome] = batchItems(operation, result, 'Task', taskFromContract, { count: 1 });
    return outcome;
  }

  return {
    /** Until when calls are refused because the site pushed back (timeout, Retry-After); null when they go out. */
    pausedUntil: (): Date | null => pause.pausedUntil(),

    isAlive: (): Promise<boolean> =>
      traced('IsAlive', async () => bool((await invoke('security', 'IsAlive', {})).result)),

    /** Fetches a token now (or reuses a valid one); rejects with a permanent error on bad credentials. */
    authenticate: (): Promise<void> => traced('GetToken', async () => void (await currentToken())),
    /** The site's UTC offset in minutes (from the token's `Expires`, site-local with its offset); null when TimeLog does not tell. */
    siteUtcOffsetMinutes: async (): Promise<number | null> => utcOffsetMinutesOf((await currentToken()).Expires),

    getUser: (): Promise<TimeLogUser> =>
      traced('GetUser', async () => {
        const result = await withToken('security', 'GetUser', (token) => ({ token }));
        const [user] = returnedItems('GetUser', result, 'User');
        if (!user) throw envelopeFailure('GetUser', result);
        return userFromSecurityUser(user);
      }),

    getEmployeesPaged: (page: number, pageSize: number): Promise<Page<TimeLogUser>> =>
      traced('GetEmployeesPaged', async () => {
        const result = await withToken('organisation', 'GetEmployeesPaged', (token) => ({ page, pageSize, token }));
        return { items: returnedItems('GetEmployeesPaged', result, 'Employee').map(userFromEmployee), totalPageCount: totalPageCount(result) };
      }),

    getProjects: (filter: { includeInactive?: boolean; statusId?: number } = {}): Promise<TimeLogProject[]> =>
      traced('GetProjects', async () => {
        const result = await pm('GetProjects', (token) => ({
          customerID: 0,
          projectManagerID: 0,
          includeInactiveProjects: filter.includeInactive ?? true,
          statusID: filter.statusId ?? ALL_PROJECT_STATUSES,
          token,
        }));
        return returnedItems('GetProjects', result, 'ProjectHeader').map(projectFromHeader);
      }),

    getProjectById: (projectId: number): Promise<TimeLogProject | null> =>
      traced('GetProjectByID', async () => {
        const result = await pm('GetProjectByID', (token) => ({ projectID: projectId, loadExternalKeys: false, token }));
        const [project] = returnedItems('GetProjectByID', result, 'ProjectApiReadModel');
        return project ? projectFromReadModel(project) : null;
      }),

    createTask: (projectId: number, draft: TimeLogTaskDraft): Promise<BatchItemResult<TimeLogTask>> =>
      traced('CreateTask', () => createdTask('CreateTask', { projectID: projectId }, draft)),

    /** Appended last under the parent, which must be a task of the same project. */
    createSubTask: (projectId: number, parentTaskId: number, draft: TimeLogTaskDraft): Promise<BatchItemResult<TimeLogTask>> =>
      traced('CreateSubTask', () => createdTask('CreateSubTask', { parentTaskId, projectID: projectId }, draft)),

    /** Read-modify-write like TimeLog's samples, so members we do not model keep their values. */
    updateTask: (taskId: number, changes: Partial<TimeLogTaskDraft>): Promise<BatchItemResult<TimeLogTask>> =>
      traced('UpdateTask', async () => {
        const current = await getTaskById(taskId, true);
        if (!current) return { ok: false, status: 'Invalid', message: `Task ${taskId} was not found`, code: 0, shape: 'per-item' };
        const draft = {
          guid: current.guid,
          taskId,
          name: current.name,
          no: current.no,
          description: current.description,
          budgetMinutes: current.budgetMinutes,
          startDate: current.startDate,
          endDate: current.endDate,
          isActive: current.isActive,
          externalKeys: current.externalKeys,
          ...changes,
        };
        const result = await pm('UpdateTask', (token) => ({
          task: { $xml: taskElementXml(draft, 'Updated') },
          projectID: current.projectId,
          token,
        }));
        const [outcome] = batchItems('UpdateTask', result, 'Task', taskFromContract, { count: 1 });
        return outcome;
      }),

    getTaskById: (taskId: number, loadExternalKeys = true) => traced('GetTaskByID', () => getTaskById(taskId, loadExternalKeys)),

    getTaskByExternalKey: (key: ExternalKey): Promise<TimeLogTask | null> =>
      traced('GetTaskByExternalKey', async () => {
        const result = await pm('GetTaskByExternalKey', (token) => ({ key: key.externalId, systemName: key.systemName, token }));
        const [task] = returnedItems('GetTaskByExternalKey', result, 'Task');
        return task ? taskFromContract(task) : null;
      }),

    changeTaskStatus: (taskGuid: string, status: TaskStatus): Promise<TimeLogTask> =>
      traced('ChangeTaskStatus', async () => {
        const result = await pm('ChangeTaskStatus', (token) => ({ taskGuid, targetStatus: status, token }));
        const [task] = returnedItems('ChangeTaskStatus', result, 'Task');
        if (!task) throw envelopeFailure('ChangeTaskStatus', result);
        return taskFromContract(task);
      }),

    addEmployeeToTask: (employeeId: number, taskId: number, budgetMinutes = 0): Promise<BatchItemResult<Allocation>> =>
      traced('AddEmployeeToTask', async () => {
        const result = await pm('AddEmployeeToTask', (token) => ({
          employeeID: employeeId,
          taskID: taskId,
          BudgetHours: minutesToDecimalHours(budgetMinutes),
          token,
        }));
        const [outcome] = batchItems('AddEmployeeToTask', result, 'Allocation', allocationFromContract, { count: 1 });
        return outcome;
      }),

    getAllocationsToEmployee: (initials: string): Promise<Allocation[]> =>
      traced('GetAllocationsToEmployee', async () => {
        const result = await pm('GetAllocationsToEmployee', (token) => ({ initials, token }));
        return returnedItems('GetAllocationsToEmployee', result, 'Allocation').map(allocationFromContract);
      }),

    /** A complete allocation keeps its registered work but takes no new registrations (simulator's reading of §5.5). */
    setAllocationStatus: (allocationGuid: string, isComplete: boolean): Promise<BatchItemResult<Allocation>> =>
      traced('SetAllocationStatus', async () => {
        const result = await pm('SetAllocationStatus', (token) => ({ isComplete, allocationGuid, token }));
        return singleItem('SetAllocationStatus', result, 'Allocation', allocationFromContract);
      }),

    insertWork: (works: Work[]): Promise<BatchItemResult<Work>[]> =>
      traced('InsertWork', async () => {
        const result = await pm('InsertWork', (token) => ({ work: { $xml: workUnitsXml(works) }, source: SOURCE_EXTERNAL, token }));
        return batchItems('InsertWork', result, 'WorkUnit', workFromUnit, { count: works.length, item: (index) => works[index] });
      }),

    updateWork: (works: Work[]): Promise<BatchItemResult<Work>[]> =>
      traced('UpdateWork', async () => {
        const result = await pm('UpdateWork', (token) => ({ work: { $xml: workUnitsXml(works) }, source: SOURCE_EXTERNAL, token }));
        return batchItems('UpdateWork', result, 'WorkUnit', workFromUnit, { count: works.length, item: (index) => works[index] });
      }),

    deleteWork: (guids: string[]): Promise<BatchItemResult<Work>[]> =>
      traced('DeleteWork', async () => {
        const result = await pm('DeleteWork', (token) => ({ work: { guid: guids }, source: SOURCE_EXTERNAL, token }));
        return batchItems('DeleteWork', result, 'WorkUnit', workFromUnit, { count: guids.length });
      }),

    /** Registrations of one employee whose date is within [from, to] (`YYYY-MM-DD`). */
    getEmployeeWork: (initials: string, from: string, to: string): Promise<Work[]> =>
      traced('GetEmployeeWork', async () => {
        const result = await pm('GetEmployeeWork', (token) => ({ initials, startDate: localDayStart(from), endDate: localDayStart(to), token }));
        return returnedItems('GetEmployeeWork', result, 'WorkUnit').map(workFromUnit);
      }),

    getWorkChangeLogPaged: (query: WorkChangeLogQuery): Promise<Page<WorkChange>> =>
      traced('GetWorkChangeLogPaged', async () => {
        const result = await pm('GetWorkChangeLogPaged', (token) => ({
          startDate: localDayStart(query.from),
          endDate: localDayStart(query.to),
          includeCreates: query.includeCreates ?? true,
          includeUpdates: query.includeUpdates ?? true,
          includeDeletes: query.includeDeletes ?? true,
          page: query.page,
          pageSize: query.pageSize,
          token,
        }));
        return { items: returnedItems('GetWorkChangeLogPaged', result, 'WorkUnitFlat').map(workChangeFromFlat), totalPageCount: totalPageCount(result) };
      }),

    /** false when TimeLog answers HTTP 401 (wrong site code, API ID or password); other failures throw. */
    validateReportingCredentials: (): Promise<boolean> =>
      traced('ValidateCredentials', async () => {
        try {
          return bool((await invoke('reporting', 'ValidateCredentials', credentials())).result);
        } catch (error) {
          if (error instanceof ExternalCallError && error.code === 'http-401') return false;
          throw error;
        }
      }),

    getEmployeesRaw: (): Promise<TimeLogUser[]> =>
      traced('GetEmployeesRaw', async () => {
        const document = await report('GetEmployeesRaw', { employeeID: 0, initials: '', departmentID: 0, status: -1 }, 'Employees', 'Employee');
        return document.rows.map(reportedEmployee);
      }),

    getProjectsRaw: (): Promise<TimeLogProject[]> =>
      traced('GetProjectsRaw', async () => {
        const document = await report('GetProjectsRaw', { projectID: 0, status: -2, customerID: 0, projectManagerID: 0 }, 'Projects', 'Project');
        return document.rows.map(reportedProject);
      }),

    getTasksRaw: (filter: { projectId?: number } = {}): Promise<TimeLogTask[]> =>
      traced('GetTasksRaw', async () => {
        const document = await report('GetTasksRaw', { taskID: 0, projectID: filter.projectId ?? 0, status: -1, taskTypeID: 0 }, 'Tasks', 'Task');
        return document.rows.map(reportedTask);
      }),

    getWorkUnitsRaw: (query: ReportedWorkQuery = {}): Promise<ReportedWork[]> =>
      traced('GetWorkUnitsRaw', async () => {
        const document = await report('GetWorkUnitsRaw', workUnitFilters(query), 'WorkUnits', 'WorkUnit');
        return document.rows.map(reportedWork);
      }),

    getWorkUnitsRawPaged: (query: ReportedWorkQuery & { page: number; pageSize: number }): Promise<Page<ReportedWork> & { totalRecords: number }> =>
      traced('GetWorkUnitsRawPaged', async () => {
        const params = { ...workUnitFilters(query), page: String(query.page), pageSize: String(query.pageSize) };
        const document = await report('GetWorkUnitsRawPaged', params, 'WorkUnits', 'WorkUnit');
        return {
          items: document.rows.map(reportedWork),
          totalPageCount: Number(document.attributes.TotalPages ?? 0),
          totalRecords: Number(document.attributes.TotalRecords ?? 0),
        };
      }),
  };
}
