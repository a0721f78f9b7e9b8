import { z } from 'zod';

const employee = z
  .object({
    employeeId: z.number().int().positive().optional(),
    initials: z.string().min(1),
    username: z.string().min(1),
    email: z.string().default(''),
    firstName: z.string().default(''),
    lastName: z.string().default(''),
    /** The transactional login user is any employee with a password; make it an administrator like TimeLog advises. */
    password: z.string().min(1).optional(),
    isAdministrator: z.boolean().default(false),
    isActive: z.boolean().default(true),
  })
  .strict();

const seededTask = z
  .object({
    taskId: z.number().int().positive().optional(),
    name: z.string().min(1),
    no: z.string().optional(),
    externalKey: z.object({ systemName: z.string().min(1), externalId: z.string().min(1) }).strict().optional(),
    allocatedInitials: z.array(z.string()).default([]),
  })
  .strict();

const project = z
  .object({
    projectId: z.number().int().positive().optional(),
    name: z.string().min(1),
    no: z.string().optional(),
    isActive: z.boolean().default(true),
    statusId: z.number().int().min(0).max(6).default(2),
    customerId: z.number().int().positive().default(1),
    customerName: z.string().default('Customer'),
    tasks: z.array(seededTask).default([]),
  })
  .strict();

const refusalShape = z.enum(['per-item', 'envelope']);

export const siteBody = z
  .object({
    utcOffsetMinutes: z.number().int().min(-720).max(840).default(60),
    reporting: z.object({ siteCode: z.string().min(1), apiID: z.string().min(1), apiPassword: z.string().min(1) }).strict(),
    allowTimeTrackingOnAllActiveProjects: z.boolean().default(false),
    refusalShape: refusalShape.optional(),
    employees: z.array(employee).default([]),
    projects: z.array(project).default([]),
  })
  .strict();
export type SiteBody = z.infer<typeof siteBody>;

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const userWorkBody = z
  .object({
    initials: z.string().min(1),
    taskId: z.number().int().positive(),
    date: day,
    minutes: z.number().int().min(0),
    description: z.string().default(''),
    guid: z.string().uuid().optional(),
  })
  .strict();

export const userWorkPatch = z
  .object({
    taskId: z.number().int().positive().optional(),
    date: day.optional(),
    minutes: z.number().int().min(0).optional(),
    description: z.string().optional(),
  })
  .strict();

export const passwordBody = z.object({ password: z.string().min(1) }).strict();

export const closedWeekBody = z.object({ initials: z.string().min(1), date: day, closed: z.boolean() }).strict();

export const faultBody = z
  .object({
    failNext: z.number().int().min(0).default(0),
    kind: z.enum(['http-500', 'http-503', 'soap-fault']).default('http-500'),
    latencyMs: z.number().int().min(0).max(600_000).default(0),
    operation: z.string().min(1).optional(),
  })
  .strict();

export const clockBody = z.object({ now: z.string().datetime({ offset: true }).nullable() }).strict();

/** `null` goes back to the captured default. */
export const refusalShapeBody = z.object({ refusalShape: refusalShape.nullable() }).strict();

/** What a TimeLog administrator may change about an employee, e.g. new initials. */
export const employeePatch = z.object({ initials: z.string().min(1).optional(), isActive: z.boolean().optional() }).strict();
