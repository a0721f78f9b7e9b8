import { z } from 'zod';
import { companyId, toWorkGuid, workGuid } from '@timelog-sync/contracts';
import { decodeCursor } from '@timelog-sync/administration';
import { ZodPipe } from './zod-body.pipe';

/**
 * What the admin API takes from paths and queries, checked before anything reaches PostgreSQL: a value the
 * database would refuse (out of range, NUL byte, impossible date) is a 400 naming the field, never a 500.
 */
export const companyIdParam = new ZodPipe(companyId);

/** A Forecast object id: digits only (no 1e3, 0x10 or -1), a safe integer. */
export const forecastIdField = z
  .string()
  .regex(/^[1-9]\d{0,15}$/, 'must be a positive whole number')
  .transform(Number)
  .pipe(z.number().max(Number.MAX_SAFE_INTEGER, 'is too large'));
export const forecastIdParam = new ZodPipe(forecastIdField);

/** Dead letters are numbered by a bigserial; kept as a string (it may exceed a safe integer). */
export const deadLetterIdParam = new ZodPipe(z.string().regex(/^[1-9]\d{0,17}$/, 'must be a positive whole number'));

/** Text that is stored or searched: PostgreSQL refuses NUL bytes, and nobody's name holds control characters. */
export const plainText = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'is required')
    .max(max, `must be at most ${max} characters`)
    .regex(/^[^\u0000-\u001f\u007f]*$/, 'must not contain control characters');

/** TimeLog's project ids are 32-bit integers. */
export const timelogProjectIdField = z.number().int().positive().max(2_147_483_647);

/** A TimeLog work's GUID (TimeRegistrationGuid), made a WorkGuid here, where it comes in. */
export const workGuidParam = new ZodPipe(workGuid);

/**
 * A TimeLog reference as the activity log stores it: a work's GUID becomes a WorkGuid here; a task id (digits) is
 * left as it is by that.
 */
export const timelogRefField = plainText(200).transform((ref): string => toWorkGuid(ref));

/** Backfill runs are numbered by UUIDs. */
export const backfillIdParam = new ZodPipe(z.string().uuid('must be a backfill id (a UUID)'));

/**
 * A list's page: `q` searches, `limit` rows (1 to 500) after `cursor`, the opaque position the previous page's
 * X-Next-Cursor header handed out.
 */
export const listQuery = (defaultLimit: number) =>
  z
    .object({
      // An empty search box searches nothing: as if no `q` were given.
      q: z.preprocess((value) => (value === '' ? undefined : value), plainText(200).optional()),
      limit: z.string().regex(/^\d{1,3}$/, 'must be a whole number from 1 to 500').transform(Number).pipe(z.number().min(1, 'must be a whole number from 1 to 500').max(500, 'must be a whole number from 1 to 500')).default(String(defaultLimit)),
      cursor: z
        .string()
        .regex(/^[A-Za-z0-9_-]{1,1000}$/, 'must be a cursor this list handed out')
        .transform((text, context) => {
          try {
            return decodeCursor(text);
          } catch (error) {
            context.addIssue({ code: z.ZodIssueCode.custom, message: (error as Error).message });
            return z.NEVER;
          }
        })
        .optional(),
    })
    .strict();
