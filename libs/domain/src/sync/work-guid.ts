import { v5 as uuidv5 } from 'uuid';
import { toWorkGuid, type WorkGuid } from '@timelog-sync/contracts';

// Fixed forever: changing it would re-create every synced registration as new TimeLog work.
const WORK_GUID_NAMESPACE = '0b6f3c1e-5d2a-4c7b-9e8f-7a1d2c3b4e5f';

/**
 * The TimeLog work GUID for a Forecast registration: the same company and registration always give the
 * same GUID, so a retried InsertWork finds its earlier self instead of creating a second work unit.
 */
export function deterministicWorkGuid(companyId: string, forecastRegistrationId: number): WorkGuid {
  return toWorkGuid(uuidv5(`${companyId}:time-registration:${forecastRegistrationId}`, WORK_GUID_NAMESPACE));
}

/** The TimeLog external key we give tasks created from Forecast. */
export function taskExternalKey(forecastTaskId: number): string {
  return `forecast-task-${forecastTaskId}`;
}

export function forecastTaskIdFromExternalKey(externalKey: string | null | undefined): number | null {
  const match = /^forecast-task-(\d+)$/.exec(externalKey ?? '');
  return match ? Number(match[1]) : null;
}
