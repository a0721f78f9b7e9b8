import { ExternalCallError } from '@timelog-sync/domain';

/** Seconds from a Retry-After header (delta-seconds or HTTP date); undefined when absent or unreadable. */
export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/** Forecast's `{status, message}` body, or the raw text when it is not that. */
function vendorMessage(bodyText: string): string {
  try {
    const body = JSON.parse(bodyText) as { message?: unknown };
    if (typeof body.message === 'string') return body.message;
  } catch {
    // not JSON: fall through to the raw text
  }
  return bodyText.slice(0, 500) || 'no response body';
}

/**
 * 429 and 5xx (and 408) are worth retrying later; every other status is permanent: retrying an
 * invalid request, a bad key or a missing object cannot succeed. Forecast's message is kept because
 * it carries the §6.5 validation reason the admin needs to see.
 */
export function errorFromResponse(operation: string, status: number, bodyText: string, retryAfter: string | null): ExternalCallError {
  const retryable = status === 408 || status === 429 || status >= 500;
  return new ExternalCallError(
    'forecast',
    operation,
    retryable ? 'retryable' : 'permanent',
    `HTTP ${status}: ${vendorMessage(bodyText)}`,
    String(status),
    retryable ? parseRetryAfter(retryAfter) : undefined,
  );
}

export function errorFromNetwork(operation: string, cause: unknown): ExternalCallError {
  const timedOut = cause instanceof Error && cause.name === 'TimeoutError';
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new ExternalCallError('forecast', operation, 'retryable', timedOut ? 'request timed out' : `network error: ${reason}`, timedOut ? 'TIMEOUT' : 'NETWORK');
}

const MALFORMED_RESPONSE = 'MALFORMED_RESPONSE';

export function malformedResponse(operation: string, detail: string): ExternalCallError {
  return new ExternalCallError('forecast', operation, 'permanent', `unexpected response: ${detail}`, MALFORMED_RESPONSE);
}

/** Forecast answered, but not with what the API documents (a field of the wrong type, an oversized body): asking again will not help. */
export const isMalformedResponse = (error: unknown): error is ExternalCallError => error instanceof ExternalCallError && error.code === MALFORMED_RESPONSE;
