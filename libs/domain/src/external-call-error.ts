/** How a failed call to Forecast or TimeLog should be handled by the caller. */
export type FailureClass = 'retryable' | 'permanent';
export type Vendor = 'forecast' | 'timelog';

/**
 * A failed call to an external system. `message` must never contain credentials, tokens or request bodies
 * with secrets: it ends up in logs, DLQ entries and the admin's parked-item list.
 */
export class ExternalCallError extends Error {
  constructor(
    readonly vendor: Vendor,
    readonly operation: string,
    readonly failureClass: FailureClass,
    message: string,
    /** Stable machine-readable reason, e.g. HTTP status or TimeLog error code. */
    readonly code?: string,
    /** Seconds the vendor asked us to wait (HTTP Retry-After). */
    readonly retryAfterSeconds?: number,
  ) {
    super(`${vendor} ${operation}: ${message}`);
    this.name = 'ExternalCallError';
  }

  get retryable(): boolean {
    return this.failureClass === 'retryable';
  }
}

/**
 * A thrown value as text an admin can read: an error's message, a string as is, an object's `message` or its
 * JSON (never `[object Object]`).
 */
export function readableCause(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === 'string') return error;
  if (error && typeof error === 'object') {
    const message = (error as { message?: unknown }).message;
    if (typeof message === 'string' && message) return message;
    try {
      return JSON.stringify(error) ?? String(error);
    } catch {
      return Object.prototype.toString.call(error);
    }
  }
  return String(error);
}

/** How a failure reads in a parked reason or a retry note: the class of an external call's failure first. */
export const describeFailure = (error: unknown): string =>
  error instanceof ExternalCallError ? `${error.failureClass}: ${error.message}` : readableCause(error);

export const VENDORS: readonly Vendor[] = ['forecast', 'timelog'];

/** Forecast's 401/403, TimeLog's refused HTTP (Reporting API) and its "Login failed" (GetToken, 10400/10401). */
const CREDENTIAL_REFUSALS = new Set(['401', '403', 'http-401', 'http-403', '10400', '10401']);

/** The vendor refused the company's credentials: only the company admin can fix it, retrying cannot. */
export const refusesCredentials = (error: unknown): error is ExternalCallError =>
  error instanceof ExternalCallError && CREDENTIAL_REFUSALS.has(error.code ?? '');

/** The vendor is out of reach or failing on its side (after the client's own retries); rate limits and our own pause (no call made) are not an outage. */
export const signalsVendorDown = (error: unknown): error is ExternalCallError =>
  error instanceof ExternalCallError && error.retryable && !['429', 'http-429', 'PAUSED'].includes(error.code ?? '');
