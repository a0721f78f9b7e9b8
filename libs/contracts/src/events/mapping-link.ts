import { z } from 'zod';
import { companyId, isoDate, isoTimestamp, positiveId } from './common';

/** Current state of one link; the compacted topic keeps the latest per key, a null value is the tombstone. */
export const userLinkV1 = z.object({
  kind: z.literal('user'),
  companyId,
  forecastPersonId: positiveId,
  timelogEmployeeInitials: z.string().min(1),
  timelogUserId: positiveId.nullable(),
  linkedAt: isoTimestamp,
});

export const projectLinkV1 = z.object({
  kind: z.literal('project'),
  companyId,
  forecastProjectId: positiveId,
  timelogProjectId: positiveId,
  syncFrom: isoDate,
  linkedAt: isoTimestamp,
});

export const mappingLinkV1 = z.discriminatedUnion('kind', [userLinkV1, projectLinkV1]);

export type UserLinkV1 = z.infer<typeof userLinkV1>;
export type ProjectLinkV1 = z.infer<typeof projectLinkV1>;
export type MappingLinkV1 = z.infer<typeof mappingLinkV1>;
