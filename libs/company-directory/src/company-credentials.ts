import { z } from 'zod';

/** Everything secret about a company's integration; sealed as one blob in `company_credential`. */
export const companyCredentialsSchema = z.object({
  timelog: z.object({
    username: z.string(),
    password: z.string(),
    siteCode: z.string(),
    reportingUsername: z.string(),
    reportingPassword: z.string(),
  }),
  forecastApiKey: z.string(),
});

export type CompanyCredentials = z.infer<typeof companyCredentialsSchema>;

export const secretValuesOf = (credentials: CompanyCredentials): string[] => [
  credentials.timelog.password,
  credentials.timelog.reportingPassword,
  credentials.timelog.siteCode,
  credentials.forecastApiKey,
];
