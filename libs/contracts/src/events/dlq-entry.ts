import { z } from 'zod';
import { isoTimestamp } from './common';

/** What could not be processed, kept whole so it can be inspected and replayed. */
export const dlqEntryV1 = z.object({
  originalTopic: z.string(),
  originalPartition: z.number().int().min(0),
  originalOffset: z.string(),
  originalKey: z.string().nullable(),
  /** The original value as text (UTF-8), exactly as received. */
  originalValue: z.string().nullable(),
  originalHeaders: z.record(z.string()),
  consumerGroup: z.string(),
  cause: z.string(),
  causeCode: z.enum(['invalid-message', 'retries-exhausted', 'permanent-failure']),
  attempts: z.number().int().min(0),
  failedAt: isoTimestamp,
});

export type DlqEntryV1 = z.infer<typeof dlqEntryV1>;
