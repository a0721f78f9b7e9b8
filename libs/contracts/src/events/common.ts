import { z } from 'zod';
import { toWorkGuid } from '../work-guid';

export const companyId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'company id: 1-64 letters, digits, _ or -');
export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date must be YYYY-MM-DD');
export const isoTimestamp = z.string().datetime({ offset: true });
export const positiveId = z.number().int().positive();
export const minutes = z.number().int().min(0).max(24 * 60 * 366);
export const guid = z.string().regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'must be a GUID');
/** A TimeLog work GUID, normalised as it is decoded. */
export const workGuid = guid.transform(toWorkGuid);
/** Where a change was noticed: a webhook, the safety-net/TimeLog poll, reconciliation or an admin backfill. */
export const changeSource = z.enum(['webhook', 'poll', 'reconciliation', 'backfill']);
export const changeKind = z.enum(['upserted', 'deleted']);
