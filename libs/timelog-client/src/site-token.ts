/** The token triple exactly as TimeLog sent it; any change (even re-formatting `Expires`) invalidates it. */
export interface SecurityToken {
  Initials: string;
  Expires: string;
  Hash: string;
}

const UNPARSABLE_EXPIRY_LIFETIME_MS = 5 * 60_000;

/** `Expires` has seven fractional digits; JavaScript dates take three. */
export function expiresAtMs(expires: string, now: number): number {
  const parsed = Date.parse(expires.replace(/(\.\d{3})\d+/, '$1'));
  return Number.isNaN(parsed) ? now + UNPARSABLE_EXPIRY_LIFETIME_MS : parsed;
}

/**
 * The site's UTC offset in minutes, read from `Expires` (the one TimeLog value that carries it; work times and
 * change-log ActionDates are site-local without an offset). Null when `Expires` has no offset.
 */
export function utcOffsetMinutesOf(expires: string): number | null {
  const match = /(Z|([+-])(\d{2}):?(\d{2}))$/.exec(expires.trim());
  if (!match) return null;
  if (match[1] === 'Z') return 0;
  const minutes = Number(match[3]) * 60 + Number(match[4]);
  return match[2] === '-' ? -minutes : minutes;
}

/**
 * Caches one site's token until `renewMarginMs` before it expires (the SDK renews one minute early) and lets
 * concurrent callers share a single GetToken call. The caller hands in how to issue one: a cache that outlives its
 * clients (one entry per site a poller walks) keeps tokens, not the clients that fetched them.
 */
export class SiteToken {
  private current?: { token: SecurityToken; expiresAtMs: number };
  private pending?: Promise<SecurityToken>;

  constructor(
    private readonly renewMarginMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(issue: () => Promise<SecurityToken>): Promise<SecurityToken> {
    if (this.current && this.current.expiresAtMs - this.renewMarginMs > this.now()) return Promise.resolve(this.current.token);
    this.pending ??= issue()
      .then((token) => {
        this.current = { token, expiresAtMs: expiresAtMs(token.Expires, this.now()) };
        return token;
      })
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }

  /** Drops the token if it is still the one a call was refused with. */
  invalidate(token: SecurityToken): void {
    if (this.current?.token === token) this.current = undefined;
  }
}
