import { z } from 'zod';
import { changeKind, changeSource, companyId, isoDate, isoTimestamp, minutes, positiveId } from './common';

/** The task as re-read from Forecast (webhook payloads are only hints). */
export const forecastTaskSnapshotV1 = z.object({
  id: positiveId,
  projectId: positiveId,
  parentTaskId: positiveId.nullable(),
  title: z.string(),
  description: z.string(),
  startDate: isoDate.nullable(),
  endDate: isoDate.nullable(),
  estimateMinutes: minutes.nullable(),
  assignedPersonIds: z.array(positiveId),
  updatedAt: isoTimestamp.nullable(),
});

export const forecastTaskChangedV1 = z
  .object({
    companyId,
    taskId: positiveId,
    change: changeKind,
    source: changeSource,
    observedAt: isoTimestamp,
    task: forecastTaskSnapshotV1.nullable(),
  })
  .refine((event) => (event.change === 'deleted') === (event.task === null), {
    message: 'an upsert carries the task, a deletion does not',
    path: ['task'],
  });

export type ForecastTaskSnapshotV1 = z.infer<typeof forecastTaskSnapshotV1>;
export type ForecastTaskChangedV1 = z.infer<typeof forecastTaskChangedV1>;
