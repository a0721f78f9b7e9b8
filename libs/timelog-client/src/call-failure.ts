import { ExternalCallError } from '@timelog-sync/domain';
import { DtdInResponse } from './soap-services';

const NETWORK_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ECONNRESET', 'ECONNREFUSED', 'EAI_AGAIN', 'EPIPE', 'ENOTFOUND', 'ERR_SOCKET_CONNECTION_TIMEOUT']);
/** WCF faults that a retry cannot fix: our request is wrong. */
const CLIENT_FAULTS = /DeserializationFailed|ActionNotSupported|ContractFilter|:Client$|^Client$/;

interface TransportError {
  code?: string;
  message?: string;
  response?: { status?: number; headers?: Record<string, unknown> };
  root?: { Envelope?: { Body?: { Fault?: { faultcode?: unknown } } } };
}

/** node-soap parses a faultcode with an `xmlns` attribute as `{ attributes, $value }`: its text is `$value`. */
function faultCodeText(faultcode: unknown): string {
  if (faultcode && typeof faultcode === 'object') return String((faultcode as { $value?: unknown }).$value ?? '');
  return String(faultcode ?? '');
}

/**
 * Turns a node-soap/axios failure into an {@link ExternalCallError}: HTTP 5xx, 408, 429 and network errors are
 * retryable; SOAP faults about the request and other 4xx are permanent. The message never carries the body.
 */
export function transportFailure(operation: string, error: unknown): ExternalCallError {
  if (error instanceof DtdInResponse) return new ExternalCallError('timelog', operation, 'permanent', error.message, 'dtd');
  const failure = (error ?? {}) as TransportError;
  const status = failure.response?.status;
  if (status === undefined) {
    const code = failure.code ?? 'unknown';
    // One code for a call that ran out of time, as the Forecast client has: callers pause a slow site on it.
    if (code === 'ETIMEDOUT' || /timeout/i.test(failure.message ?? '')) return new ExternalCallError('timelog', operation, 'retryable', 'request timed out', 'TIMEOUT');
    const retryable = NETWORK_CODES.has(code);
    return new ExternalCallError('timelog', operation, retryable ? 'retryable' : 'permanent', `transport error ${code}`, code);
  }
  const faultCode = faultCodeText(failure.root?.Envelope?.Body?.Fault?.faultcode);
  if (status === 401 || status === 403) {
    return new ExternalCallError('timelog', operation, 'permanent', `HTTP ${status}: credentials refused`, `http-${status}`);
  }
  if (faultCode && CLIENT_FAULTS.test(faultCode)) {
    return new ExternalCallError('timelog', operation, 'permanent', `SOAP fault ${faultCode}`, faultCode);
  }
  const retryAfter = Number(failure.response?.headers?.['retry-after']);
  const retryable = status >= 500 || status === 408 || status === 429;
  return new ExternalCallError(
    'timelog',
    operation,
    retryable ? 'retryable' : 'permanent',
    faultCode ? `HTTP ${status} SOAP fault ${faultCode}` : `HTTP ${status}`,
    `http-${status}`,
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
  );
}
