import type { Company } from '../state/company';
import type { TaskRecord } from '../state/records';

/**
 * On projects with `remaining_auto_calculated`, Forecast derives `remaining` from the estimate and the
 * registered time; the unit conversion follows the company's (undocumented) estimate unit.
 */
export function refreshRemaining(company: Company, task: TaskRecord): void {
  const project = company.projects.get(task.project_id);
  if (!project?.remaining_auto_calculated) return;
  if (project.estimation_units === 'POINTS') {
    task.remaining = task.estimate;
    return;
  }
  const minutes = company.timeRegistrationsOfTask(task.id).reduce((sum, registration) => sum + registration.time_registered, 0);
  const registered = company.settings.estimateUnit === 'hours' ? minutes / 60 : minutes;
  task.remaining = Math.max(0, task.estimate - registered);
}

/** Remaining work of a HOURS-project task in minutes; null when not comparable (POINTS projects). */
export function remainingMinutes(company: Company, task: TaskRecord): number | null {
  if (company.projects.get(task.project_id)?.estimation_units === 'POINTS') return null;
  return company.settings.estimateUnit === 'hours' ? task.remaining * 60 : task.remaining;
}
