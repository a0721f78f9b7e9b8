/**
 * Which TimeLog domains a company admin may point us at. The domain is tenant input that our servers then
 * connect to, so it is checked before any connection (no DNS lookup either): an https origin whose host
 * matches one of `hostPatterns`, or one of the exact `extraOrigins` the operator configured (the simulators).
 */
export interface TimeLogDomainPolicy {
  /** Host patterns, `*` standing for letters, digits and `-` within one label, e.g. `app*.timelog.com`. */
  hostPatterns: string[];
  /** Exact origins allowed as they are, http included (only where configuration says so). */
  extraOrigins: string[];
}

/** TimeLog's cloud: `https://app<X>.timelog.com` (../shared/docs/timelog-api.md §1). */
export const TIMELOG_CLOUD_HOST_PATTERN = 'app*.timelog.com';

const NOT_ALLOWED = 'Domain must be the https address of your TimeLog cloud site, such as https://app4.timelog.com';

const patternRegex = (pattern: string) =>
  new RegExp(`^${pattern.toLowerCase().split('*').map((part) => part.replace(/[.\\^$+?()[\]{}|-]/g, '\\$&')).join('[a-z0-9-]*')}$`);

/**
 * The origin to use for `domain` (normalised: what we store and connect to, never the raw input), or why it
 * may not be used. The reason never echoes the address.
 */
export function timelogOrigin(domain: string, policy: TimeLogDomainPolicy): { origin: string } | { refused: string } {
  let url: URL;
  try {
    url = new URL(domain);
  } catch {
    return { refused: NOT_ALLOWED };
  }
  if (url.username || url.password || url.search || url.hash || url.pathname.replace(/\/+$/, '') !== '') {
    return { refused: 'Domain is the site address only (no path, query or user), such as https://app4.timelog.com' };
  }
  if (policy.extraOrigins.some((origin) => new URL(origin).origin === url.origin)) return { origin: url.origin };
  // A port other than https' own would let a tenant reach any service on an allowed host.
  const allowed = url.protocol === 'https:' && url.port === '' && policy.hostPatterns.some((pattern) => patternRegex(pattern).test(url.hostname));
  return allowed ? { origin: url.origin } : { refused: NOT_ALLOWED };
}
