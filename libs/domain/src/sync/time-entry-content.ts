import type { TimeRegistration } from '../forecast/time-registration';
import { contentHash } from './content-hash';

/**
 * What a Forecast time registration and a TimeLog work unit share and we keep equal on both sides.
 * Hashing this one shape in both directions makes an echo of our own write recognisable.
 */
export interface TimeEntryContent {
  date: string;
  minutes: number;
  note: string;
}

export function timeEntryHash(content: TimeEntryContent): string {
  return contentHash({ date: content.date, minutes: content.minutes, note: content.note });
}

/** What a Forecast time registration, as the client reads it, holds of that shape (no notes is an empty note). */
export const timeRegistrationContent = (registration: TimeRegistration): TimeEntryContent => ({ date: registration.date, minutes: registration.minutes, note: registration.notes ?? '' });
