import { v5 as uuidv5 } from 'uuid';

/**
 * The only mapping rules the oracle may rely on, restated from the operator documentation (README "Exactly once")
 * rather than imported from the sync's code, so a bug there cannot hide itself from the oracle.
 */
const WORK_GUID_NAMESPACE = '0b6f3c1e-5d2a-4c7b-9e8f-7a1d2c3b4e5f';

/** TimeLog work written from a Forecast registration: UUIDv5 of company and registration id. */
export const workGuidOfRegistration = (companyId: string, registrationId: number): string => uuidv5(`${companyId}:time-registration:${registrationId}`, WORK_GUID_NAMESPACE);

/** A TimeLog task created from a Forecast task carries this external key. */
export const externalKeyOfTask = (forecastTaskId: number): string => `forecast-task-${forecastTaskId}`;

/** The Forecast TIME_REG custom field holding the GUID of the TimeLog work a registration was created from. */
export const WORK_GUID_FIELD = 'timelog_work_guid';

/** TimeLog task status 3 (completed) and 4 (cancelled) are inactive. */
export const isActiveTimeLogTask = (task: { statusDetailed?: number }): boolean => task.statusDetailed !== 3 && task.statusDetailed !== 4;
