import { BatchItemResult, ExternalCallError } from '@timelog-sync/domain';
import { asArray, int, text } from './soap-values';

/** `ResponseOf<T>` as node-soap parses it (timelog-api.md §4). */
export interface ApiEnvelope {
  Return?: Record<string, unknown> | string;
  ResponseState?: string;
  Messages?: { APIMessage?: unknown };
  ErrorCode?: unknown;
  TotalPageCount?: unknown;
}

/** Only `Error`/`Invalid` messages explain a failure; `Message` entries are informational noise. */
function problems(envelope: ApiEnvelope): { message: string; code: number }[] {
  return asArray(envelope.Messages?.APIMessage)
    .filter((message) => text(message.Severity) !== 'Message')
    .map((message) => ({ message: text(message.Message) ?? '', code: int(message.ErrorCode) }));
}

/** TimeLog's wording for a refused token is unverified; any complaint about the token counts. */
export function isTokenRejection(envelope: ApiEnvelope | undefined): boolean {
  return !!envelope && envelope.ResponseState !== 'Success' && problems(envelope).some((problem) => /token/i.test(problem.message));
}

export function envelopeFailure(operation: string, envelope: ApiEnvelope | undefined): ExternalCallError {
  const found = envelope ? problems(envelope) : [];
  const message = found.map((problem) => problem.message).join('; ') || `ResponseState ${envelope?.ResponseState ?? 'missing'}`;
  const code = String(envelope ? int(envelope.ErrorCode) || (found[0]?.code ?? '') : 'no-envelope');
  return new ExternalCallError('timelog', operation, 'permanent', message, code);
}

export function returnedItems(operation: string, envelope: ApiEnvelope | undefined, itemName: string): Record<string, any>[] {
  if (!envelope || envelope.ResponseState !== 'Success') throw envelopeFailure(operation, envelope);
  const container = envelope.Return;
  return typeof container === 'object' && container ? asArray(container[itemName]) : [];
}

export function totalPageCount(envelope: ApiEnvelope | undefined): number {
  return int(envelope?.TotalPageCount);
}

/**
 * Per-item results of a batch call. The envelope is Invalid as soon as one item fails, so items are read whenever
 * there are any; an envelope failure without items (e.g. a refused token) is thrown.
 */
export function batchItems<T>(
  operation: string,
  envelope: ApiEnvelope | undefined,
  itemName: string,
  toDomain: (item: Record<string, any>) => T,
): BatchItemResult<T>[] {
  const container = envelope?.Return;
  const items = typeof container === 'object' && container ? asArray(container[`BatchContainerOf${itemName}`]) : [];
  if (items.length === 0 && envelope?.ResponseState !== 'Success') throw envelopeFailure(operation, envelope);
  return items.map((item) =>
    text(item.Status) === 'Success'
      ? { ok: true, item: toDomain(item.Item ?? {}) }
      : { ok: false, status: text(item.Status) ?? 'NotSet', message: text(item.Message) ?? '' },
  );
}
