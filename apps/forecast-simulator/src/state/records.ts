// Stored records use the API's snake_case field names so representations stay a thin projection.

export interface PersonRecord {
  id: number;
  first_name: string;
  last_name: string;
  email: string | null;
  job_title: string | null;
  client_id: number | null;
  active: boolean;
  default_role: number | null;
  is_system_user: boolean;
  created_by: number | null;
  updated_by: number | null;
  created_at: string;
  updated_at: string;
}

export type EstimationUnits = 'HOURS' | 'POINTS';

export interface ProjectRecord {
  id: number;
  company_project_id: number;
  custom_project_id: string | null;
  name: string;
  stage: 'PLANNING' | 'RUNNING' | 'HALTED' | 'DONE';
  estimation_units: EstimationUnits;
  minutes_per_estimation_point: number;
  remaining_auto_calculated: boolean;
  budget_type: 'FIXED_PRICE' | 'NON_BILLABLE' | 'TIME_AND_MATERIALS' | 'RETAINER';
  start_date: string | null;
  end_date: string | null;
  created_by: number | null;
  updated_by: number | null;
  created_at: string;
  updated_at: string;
}

export type WorkflowCategory = 'TODO' | 'INPROGRESS' | 'DONE';

export interface WorkflowColumnRecord {
  id: number;
  project_id: number;
  name: string;
  category: WorkflowCategory;
  sort_order: number;
  created_at: string;
  updated_at: string;
}

export interface RoleRecord {
  id: number;
  name: string;
  created_at: string;
  updated_at: string;
}

export interface NonProjectTimeRecord {
  id: number;
  name: string;
  is_internal_time: boolean;
  created_at: string;
  updated_at: string;
}

export interface TaskRecord {
  id: number;
  company_task_id: number;
  title: string;
  description: string;
  project_id: number;
  parent_task_id: number | null;
  role: number | null;
  estimate: number;
  remaining: number;
  approved: boolean;
  start_date: string | null;
  end_date: string | null;
  bug: boolean;
  high_priority: boolean;
  un_billable: boolean;
  blocked: boolean;
  sprint: number | null;
  workflow_column: number;
  milestone: number | null;
  assigned_persons: number[];
  labels: number[];
  owner_id: number | null;
  created_by: number;
  updated_by: number;
  created_at: string;
  updated_at: string;
  custom_fields: Record<string, string>;
}

export interface TimeRegistrationRecord {
  id: number;
  person: number;
  project: number | null;
  task: number | null;
  non_project_time: number | null;
  role: number | null;
  phase: number | null;
  time_registered: number;
  billable_minutes_registered: number;
  date: string;
  notes: string | null;
  approval_status: 'NOT_SUBMITTED' | 'SUBMITTED' | 'APPROVED';
  invoice_entry: number | null;
  invoice: number | null;
  created_by: number;
  updated_by: number;
  created_at: string;
  updated_at: string;
  custom_fields: Record<string, string>;
}

export interface Deletion<T> {
  record: T;
  deleted_by: number;
  deleted_at: string;
}

export type WebhookObjectType = 'TASK' | 'TIME_REG' | 'PROJECT' | 'PHASE';
export type WebhookEventType = 'CREATE' | 'UPDATE' | 'DELETE';

export interface WebhookSubscriptionRecord {
  id: number;
  name: string;
  type: WebhookObjectType;
  event: WebhookEventType;
  url: string;
  active: boolean;
}

export type CustomFieldEntity = 'TASK' | 'TIME_REG';
