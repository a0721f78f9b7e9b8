import { z } from 'zod';
import { changeKind, changeSource, companyId, isoDate, isoTimestamp, minutes, positiveId, workGuid } from './common';

export const timelogWorkSnapshotV1 = z.object({
  guid: workGuid,
  taskId: positiveId,
  employeeInitials: z.string().min(1),
  date: isoDate,
  minutes,
  description: z.string(),
  isEditable: z.boolean(),
});

export const timelogWorkChangedV1 = z
  .object({
    companyId,
    workGuid,
    change: changeKind,
    source: changeSource,
    /** TimeLog's ActionDate (site-local, no offset in the API; normalised by the poller). */
    actionDate: z.string().min(1),
    observedAt: isoTimestamp,
    work: timelogWorkSnapshotV1.nullable(),
  })
  .refine((event) => (event.change === 'deleted') === (event.work === null), {
    message: 'an upsert carries the work, a deletion does not',
    path: ['work'],
  });

export type TimelogWorkSnapshotV1 = z.infer<typeof timelogWorkSnapshotV1>;
export type TimelogWorkChangedV1 = z.infer<typeof timelogWorkChangedV1>;
