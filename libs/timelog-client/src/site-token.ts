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
 * Caches one site's token until `renewMarginMs` before it expires (the SDK renews one minute early) and lets
 * concurrent callers share a single GetToken call.
 */
export class SiteToken {
  private current?: { token: SecurityToken; expiresAtMs: number };
  private pending?: Promise<SecurityToken>;

  constructor(
    private readonly issue: () => Promise<SecurityToken>,
    private readonly renewMarginMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(): Promise<SecurityToken> {
    if (this.current && this.current.expiresAtMs - this.renewMarginMs > this.now()) return Promise.resolve(this.current.token);
    this.pending ??= this.issue()
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
