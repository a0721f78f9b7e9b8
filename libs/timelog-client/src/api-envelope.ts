import { trace } from '@opentelemetry/api';
import { BatchItemResult, ExternalCallError, RefusalShape } from '@timelog-sync/domain';
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

/** The envelope's own reason: its Error/Invalid messages and its code (else the first message's). */
function refusalOf(envelope: ApiEnvelope): { message: string; code: number } {
  const found = problems(envelope);
  const message = found.map((problem) => problem.message).join('; ') || `ResponseState ${envelope.ResponseState ?? 'missing'}`;
  return { message, code: int(envelope.ErrorCode) || (found[0]?.code ?? 0) };
}

export function envelopeFailure(operation: string, envelope: ApiEnvelope | undefined): ExternalCallError {
  if (!envelope) return new ExternalCallError('timelog', operation, 'permanent', 'ResponseState missing', 'no-envelope');
  const { message, code } = refusalOf(envelope);
  return new ExternalCallError('timelog', operation, 'permanent', message, code ? String(code) : '');
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
 * Per-item results of a batch call, whichever way TimeLog refused (timelog-api.md §4): per-item containers (the
 * envelope is Invalid as soon as one item fails), or the envelope Invalid/Error with an empty `Return`, which
 * refuses every item sent with the envelope's code and message. A refused token stays an error (the caller
 * retries with a new token, then the company is marked). A Success container without its `Item` (the SDK sample
 * guards against it) takes the item as sent when the caller knows it, else counts as not confirmed.
 */
export function batchItems<T>(
  operation: string,
  envelope: ApiEnvelope | undefined,
  itemName: string,
  toDomain: (item: Record<string, any>) => T,
  sent: { count: number; item?: (index: number) => T },
): BatchItemResult<T>[] {
  if (!envelope || isTokenRejection(envelope)) throw envelopeFailure(operation, envelope);
  const container = envelope.Return;
  const containers = typeof container === 'object' && container ? asArray(container[`BatchContainerOf${itemName}`]) : [];
  const found = problems(envelope);
  if (containers.length === 0 && envelope.ResponseState !== 'Success') {
    const whole: BatchItemResult<T> = { ok: false, status: text(envelope.ResponseState) ?? 'NotSet', ...refusalOf(envelope), shape: 'envelope' };
    markRefusals('envelope', sent.count);
    return Array.from({ length: sent.count }, () => whole);
  }
  const results = Array.from({ length: Math.max(sent.count, containers.length) }, (_, index): BatchItemResult<T> => {
    const item = containers[index];
    if (!item) return { ok: false, status: 'NotSet', message: 'TimeLog returned no result for this item', code: 0, shape: 'per-item' };
    const status = text(item.Status) ?? 'NotSet';
    if (status === 'Success') {
      if (item.Item && typeof item.Item === 'object') return { ok: true, item: toDomain(item.Item) };
      const asSent = sent.item?.(index);
      if (asSent !== undefined) return { ok: true, item: asSent };
      return { ok: false, status, message: 'TimeLog answered Success without the item', code: 0, shape: 'per-item' };
    }
    const message = text(item.Message) ?? '';
    return { ok: false, status, message, code: found.find((problem) => problem.message === message)?.code ?? int(envelope.ErrorCode), shape: 'per-item' };
  });
  const refused = results.filter((result) => !result.ok).length;
  if (refused > 0) markRefusals('per-item', refused);
  return results;
}

/** Which shape a refusal took, on the operation's span (a live site's shapes are not all captured yet). */
function markRefusals(shape: RefusalShape, refused: number): void {
  trace.getActiveSpan()?.setAttributes({ 'timelog.refusal_shape': shape, 'timelog.refused_items': refused });
}

/**
 * A single-item write answered with `ResponseOf<T>` (e.g. SetAllocationStatus): a refusal is the envelope shape by
 * construction, and comes back as an item result like a batch's.
 */
export function singleItem<T>(operation: string, envelope: ApiEnvelope | undefined, itemName: string, toDomain: (item: Record<string, any>) => T): BatchItemResult<T> {
  if (!envelope || isTokenRejection(envelope)) throw envelopeFailure(operation, envelope);
  if (envelope.ResponseState !== 'Success') {
    markRefusals('envelope', 1);
    return { ok: false, status: text(envelope.ResponseState) ?? 'NotSet', ...refusalOf(envelope), shape: 'envelope' };
  }
  const [item] = returnedItems(operation, envelope, itemName);
  return item ? { ok: true, item: toDomain(item) } : { ok: false, status: 'Success', message: `TimeLog answered Success without the ${itemName}`, code: 0, shape: 'per-item' };
}
