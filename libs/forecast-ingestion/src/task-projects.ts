import type { ForecastClient } from '@timelog-sync/forecast-client';

/** Task -> project, remembered per company: registrations on tasks often omit the project, and tasks never move. */
export class TaskProjects {
  private readonly known = new Map<string, number>();

  remember(companyId: string, taskId: number, projectId: number): void {
    if (this.known.size > 200_000) this.known.clear();
    this.known.set(`${companyId}:${taskId}`, projectId);
  }

  resolver(companyId: string, forecast: ForecastClient): (taskId: number) => Promise<number | null> {
    return async (taskId) => {
      const cached = this.known.get(`${companyId}:${taskId}`);
      if (cached !== undefined) return cached;
      const task = await forecast.getTask(taskId).catch(() => null);
      if (!task) return null;
      this.remember(companyId, taskId, task.projectId);
      return task.projectId;
    };
  }
}
