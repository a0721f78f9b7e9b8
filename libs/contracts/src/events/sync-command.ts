import { z } from 'zod';
import { companyId, isoDate, isoTimestamp, positiveId } from './common';

export const backfillScopeV1 = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('person'), forecastPersonId: positiveId }),
  z.object({ kind: z.literal('project'), forecastProjectId: positiveId }),
  z.object({ kind: z.literal('company') }),
]);

export const syncCommandV1 = z.discriminatedUnion('command', [
  z.object({ command: z.literal('backfill'), commandId: z.string().uuid(), companyId, scope: backfillScopeV1, since: isoDate, requestedAt: isoTimestamp }),
  z.object({ command: z.literal('retry-parked'), commandId: z.string().uuid(), companyId, requestedAt: isoTimestamp }),
]);

export type BackfillScopeV1 = z.infer<typeof backfillScopeV1>;
export type SyncCommandV1 = z.infer<typeof syncCommandV1>;
