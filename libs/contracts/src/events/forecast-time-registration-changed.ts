import { z } from 'zod';
import { changeKind, changeSource, companyId, isoDate, isoTimestamp, minutes, positiveId } from './common';

export const forecastTimeRegistrationSnapshotV1 = z.object({
  id: positiveId,
  personId: positiveId,
  projectId: positiveId.nullable(),
  taskId: positiveId.nullable(),
  nonProjectTimeId: positiveId.nullable(),
  date: isoDate,
  minutes,
  billableMinutes: minutes.nullable(),
  note: z.string(),
  updatedAt: isoTimestamp.nullable(),
});

export const forecastTimeRegistrationChangedV1 = z
  .object({
    companyId,
    registrationId: positiveId,
    change: changeKind,
    source: changeSource,
    observedAt: isoTimestamp,
    registration: forecastTimeRegistrationSnapshotV1.nullable(),
  })
  .refine((event) => (event.change === 'deleted') === (event.registration === null), {
    message: 'an upsert carries the registration, a deletion does not',
    path: ['registration'],
  });

export type ForecastTimeRegistrationSnapshotV1 = z.infer<typeof forecastTimeRegistrationSnapshotV1>;
export type ForecastTimeRegistrationChangedV1 = z.infer<typeof forecastTimeRegistrationChangedV1>;
