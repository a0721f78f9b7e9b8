import { LRUCache } from 'lru-cache';
import type { ForecastClient } from './forecast-client';

/**
 * Task -> project, remembered per company: registrations on tasks often omit the project, and tasks never move.
 * Bounded: the least recently used tasks are forgotten first (and read again from Forecast when needed).
 */
export class TaskProjects {
  private readonly known = new LRUCache<string, number>({ max: 200_000 });

  remember(companyId: string, taskId: number, projectId: number): void {
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
