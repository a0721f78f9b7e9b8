export type WorkflowCategory = 'TODO' | 'INPROGRESS' | 'DONE';

export interface WorkflowColumn {
  id: number;
  projectId: number;
  name: string;
  category: WorkflowCategory;
  sortOrder: number;
}

/** A Forecast task as our services see it; timestamps are UTC ISO strings. */
export interface ForecastTask {
  id: number;
  /** The per-company "T{n}" number. */
  companyTaskId: number;
  projectId: number;
  parentTaskId: number | null;
  title: string;
  description: string;
  roleId: number | null;
  /** Unit undocumented (hours or minutes; points on POINTS projects), passed through as Forecast sends it. */
  estimate: number;
  remaining: number;
  approved: boolean;
  startDate: string | null;
  endDate: string | null;
  bug: boolean;
  highPriority: boolean;
  /** Forecast sends the negation (`un_billable`). */
  billable: boolean;
  blocked: boolean;
  sprintId: number | null;
  workflowColumnId: number | null;
  phaseId: number | null;
  assignedPersonIds: number[];
  labelIds: number[];
  ownerId: number | null;
  createdBy: number | null;
  updatedBy: number | null;
  createdAt: string | null;
  updatedAt: string | null;
  customFields?: Record<string, string>;
}

export interface NewForecastTask {
  projectId: number;
  title?: string;
  description?: string;
  parentTaskId?: number | null;
  roleId?: number | null;
  estimate?: number;
  approved?: boolean;
  startDate?: string | null;
  endDate?: string | null;
  bug?: boolean;
  highPriority?: boolean;
  billable?: boolean;
  blocked?: boolean;
  sprintId?: number | null;
  workflowColumnId?: number | null;
  phaseId?: number | null;
  ownerId?: number | null;
  assignedPersonIds?: number[];
  labelIds?: number[];
}

/** Partial update; `assignedPersonIds` and `labelIds` replace the whole list. */
export type ForecastTaskChanges = Partial<NewForecastTask> & { remaining?: number };

export interface DeletedForecastTask {
  taskId: number;
  deletedBy: number | null;
  deletedAt: string | null;
}
