export interface Person {
  id: number;
  firstName: string;
  lastName: string;
  /** The natural key for linking a Forecast person to a TimeLog user. */
  email: string | null;
  active: boolean;
  /** Forecast's internal users (e.g. integrations); read-only through the API. */
  isSystemUser: boolean;
  clientId: number | null;
  defaultRoleId: number | null;
  createdAt: string | null;
  updatedAt: string | null;
}
