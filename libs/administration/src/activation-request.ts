import { z } from 'zod';

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
    syncFrom: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'syncFrom must be YYYY-MM-DD').optional(),
    pollIntervalMinutes: z.number().int().min(1).max(1440).optional(),
  })
  .strict();

export type ActivationRequest = z.infer<typeof activationRequestSchema>;
