import { randomUUID } from 'node:crypto';
import { Site } from '../store/site';
import { localDateTime } from '../store/site-time';
import { SiteBody } from './control.schemas';

/** Builds a fresh site from the control API's JSON; ids not given are assigned. */
export function seedSite(accountName: string, body: SiteBody, now: Date): Site {
  const site = new Site({
    accountName,
    utcOffsetMinutes: body.utcOffsetMinutes,
    reporting: body.reporting,
    allowTimeTrackingOnAllActiveProjects: body.allowTimeTrackingOnAllActiveProjects,
    ...(body.refusalShape ? { refusalShape: body.refusalShape } : {}),
  });
  for (const input of body.employees) {
    const employeeId = input.employeeId ?? site.newId();
    const { employeeId: _, ...rest } = input;
    site.employees.set(employeeId, { ...rest, employeeId, userId: employeeId + 100_000, guid: randomUUID() });
  }
  const stamp = localDateTime(now, body.utcOffsetMinutes);
  for (const input of body.projects) {
    const projectId = input.projectId ?? site.newId();
    site.projects.set(projectId, {
      projectId,
      guid: randomUUID(),
      name: input.name,
      no: input.no ?? `P${projectId}`,
      isActive: input.isActive,
      statusId: input.statusId,
      customerId: input.customerId,
      customerName: input.customerName,
      customerGuid: randomUUID(),
    });
    for (const taskInput of input.tasks) {
      const taskId = taskInput.taskId ?? site.newId();
      const saved = site.saveTask({
        taskId,
        guid: randomUUID(),
        projectId,
        parentTaskId: null,
        name: taskInput.name,
        no: taskInput.no ?? `T${taskId}`,
        description: '',
        budgetHours: 0,
        statusDetailed: 1,
        startDate: null,
        endDate: null,
        externalKeys: taskInput.externalKey ? [taskInput.externalKey] : [],
        createdAt: stamp,
        lastModifiedAt: stamp,
      });
      if (!saved.ok) throw new Error(saved.violation.message);
      for (const initials of taskInput.allocatedInitials) {
        const employee = site.findEmployee(initials);
        if (!employee) throw new Error(`Unknown employee ${initials} in allocatedInitials`);
        site.allocate(employee.employeeId, taskId, 0);
      }
    }
  }
  return site;
}
