/** The Forecast integration settings for one TimeLog site (timelog-api.md §1). */
export interface TimeLogSite {
  /** e.g. `https://app4.timelog.com` (or the simulator origin). */
  domain: string;
  accountName: string;
  username: string;
  password: string;
  siteCode: string;
  reportingUsername: string;
  reportingPassword: string;
}

export function siteBaseUrl(site: Pick<TimeLogSite, 'domain' | 'accountName'>): string {
  return `${site.domain.replace(/\/+$/, '')}/${encodeURIComponent(site.accountName)}`;
}
