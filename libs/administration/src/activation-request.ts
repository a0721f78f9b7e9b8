import { z } from 'zod';

/** A real calendar day as YYYY-MM-DD (not 2024-02-30), within what PostgreSQL's date and every client handle. */
export const calendarDate = z.string().refine((value) => {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return year >= 1970 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}, 'must be a calendar date as YYYY-MM-DD, from 1970 on');

const required = (label: string) => z.string({ required_error: `${label} is required` }).trim().min(1, `${label} is required`);

/** The article's form (Domain, Account Name, Username, Password, Site Code, Reporting username/password) plus our Forecast key. */
export const activationRequestSchema = z
  .object({
    timelog: z
      .object({
        domain: required('Domain').url('Domain must be a URL such as https://app4.timelog.com'),
        accountName: required('Account Name').regex(/^[A-Za-z0-9_.-]+$/, 'Account Name may contain letters, digits, _ . -'),
        username: required('Username'),
        password: required('Password'),
        siteCode: required('Site Code'),
        reportingUsername: required('Reporting username'),
        reportingPassword: required('Reporting password'),
      })
      .strict(),
    forecast: z.object({ apiKey: required('Forecast API key') }).strict(),
    syncFrom: calendarDate.optional(),
    pollIntervalMinutes: z.number().int().min(1).max(1440).optional(),
  })
  .strict();

export type ActivationRequest = z.infer<typeof activationRequestSchema>;
