import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { ExternalCallError, VendorPause } from '@timelog-sync/domain';
import { DelegateBackoff, handleWhen, retry } from 'cockatiel';
import { ConcurrencyLimit, companyConcurrencyLimit } from './company-concurrency';
import { errorFromNetwork, errorFromResponse, malformedResponse } from './forecast-errors';

export interface ForecastConnection {
  /** `https://api.forecast.it`, or the simulator's origin. */
  baseUrl: string;
  apiKey: string;
}

export interface ForecastRetryOptions {
  /** Total attempts including the first. */
  maxAttempts?: number;
  /** First backoff when Forecast sends no Retry-After; doubles per attempt. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** A Retry-After longer than this is not waited for in-process: the error goes to the caller. */
  maxRetryAfterSeconds?: number;
}

export interface ForecastClientOptions {
  /** In-flight calls per company (fair-use policy); shared by all clients of the same company. */
  maxConcurrency?: number;
  retry?: ForecastRetryOptions;
  /** Per attempt. */
  timeoutMs?: number;
  /**
   * After a timed-out call, refuse this company's calls for this long (a 429's Retry-After always pauses them),
   * so callers defer its work rather than wait; unset, a timeout does not pause.
   */
  pauseAfterTimeoutSeconds?: number;
  /** A larger response body is refused (malformed) instead of being held in memory. */
  maxResponseBytes?: number;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface ForecastRequest {
  /** Business name of the call, e.g. `createTask`; used in errors and spans. */
  operation: string;
  method: HttpMethod;
  /** Path with `{name}` placeholders, e.g. `/api/v3/tasks/{taskId}`; the template is what spans show. */
  path: string;
  params?: Record<string, string | number>;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
}

const tracer = trace.getTracer('forecast-client');

/** HTTP to one Forecast company: auth header, JSON, error classes, retries, the concurrency cap and a span per call. */
export class ForecastTransport {
  private readonly limit: ConcurrencyLimit;
  private readonly retryOptions: Required<ForecastRetryOptions>;
  private readonly timeoutMs: number;
  private readonly pause: VendorPause;
  private readonly maxResponseBytes: number;

  constructor(
    private readonly connection: ForecastConnection,
    options: ForecastClientOptions = {},
  ) {
    this.limit = companyConcurrencyLimit(connection.baseUrl, connection.apiKey, options.maxConcurrency ?? 2);
    this.retryOptions = { maxAttempts: 4, initialDelayMs: 500, maxDelayMs: 30_000, maxRetryAfterSeconds: 120, ...options.retry };
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.pause = new VendorPause('forecast', options.pauseAfterTimeoutSeconds);
    // A v4 page of 500 tasks is under 1 MB; an unpaged v2 person list of a large company a few MB.
    this.maxResponseBytes = options.maxResponseBytes ?? 16 * 2 ** 20;
  }

  /** Until when this company's calls are refused after back-pressure; null when they go out. */
  pausedUntil(): Date | null {
    return this.pause.pausedUntil();
  }

  async request<T>(request: ForecastRequest): Promise<T> {
    const attributes = { 'forecast.operation': request.operation, 'http.request.method': request.method, 'url.template': request.path };
    return tracer.startActiveSpan(`forecast ${request.operation}`, { kind: SpanKind.CLIENT, attributes }, async (span) => {
      let attempts = 0;
      try {
        const result = await this.retryPolicy(request.method).execute(() => {
          attempts += 1;
          // The pause is checked once a slot is free: calls queued behind a timed-out one then fail fast too.
          return this.limit.run(() => this.pause.run(request.operation, () => this.send<T>(request)));
        });
        span.setStatus({ code: SpanStatusCode.OK });
        return result;
      } catch (error) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
        if (error instanceof ExternalCallError && error.code) span.setAttribute('forecast.error_code', error.code);
        if (error instanceof ExternalCallError) span.setAttribute('forecast.failure_class', error.failureClass);
        throw error;
      } finally {
        span.setAttribute('forecast.attempts', attempts);
        span.end();
      }
    });
  }

  /**
   * 429 means Forecast did nothing, so any call may repeat. After a 5xx or a lost connection a POST
   * may already have created its object; repeating it could create a duplicate, so creates are left
   * to the caller's idempotency check instead.
   */
  private retryPolicy(method: HttpMethod) {
    const { maxAttempts, initialDelayMs, maxDelayMs, maxRetryAfterSeconds } = this.retryOptions;
    const retryable = (error: Error) =>
      error instanceof ExternalCallError &&
      error.retryable &&
      (method !== 'POST' || error.code === '429') &&
      (error.retryAfterSeconds ?? 0) <= maxRetryAfterSeconds;
    const backoff = new DelegateBackoff<{ attempt: number; result: unknown }>(({ attempt, result }) => {
      const error = (result as { error?: unknown }).error;
      const retryAfter = error instanceof ExternalCallError ? error.retryAfterSeconds : undefined;
      return retryAfter !== undefined ? retryAfter * 1000 : Math.min(maxDelayMs, initialDelayMs * 2 ** (attempt - 1));
    });
    return retry(handleWhen(retryable), { maxAttempts: maxAttempts - 1, backoff });
  }

  private async send<T>(request: ForecastRequest): Promise<T> {
    let response: Response;
    try {
      response = await fetch(this.url(request), {
        method: request.method,
        headers: {
          'X-FORECAST-API-KEY': this.connection.apiKey,
          accept: 'application/json',
          ...(request.body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }),
        },
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw errorFromNetwork(request.operation, error);
    }
    const text = await boundedText(request.operation, response, this.maxResponseBytes);
    if (!response.ok) throw errorFromResponse(request.operation, response.status, text, response.headers.get('retry-after'));
    if (text === '') return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw malformedResponse(request.operation, 'body is not JSON');
    }
  }

  private url(request: ForecastRequest): string {
    const path = request.path.replace(/\{(\w+)\}/g, (_match, name: string) => {
      const value = request.params?.[name];
      if (value === undefined) throw new Error(`missing path parameter ${name} for ${request.operation}`);
      return encodeURIComponent(String(value));
    });
    const url = new URL(path, this.connection.baseUrl);
    for (const [name, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    return url.toString();
  }
}

/** The body as text, refused as soon as it is known to exceed `maxBytes` (declared length or while it streams). */
async function boundedText(operation: string, response: Response, maxBytes: number): Promise<string> {
  const tooLarge = () => malformedResponse(operation, `body larger than ${maxBytes} bytes`);
  if (Number(response.headers.get('content-length') ?? 0) > maxBytes) {
    await response.body?.cancel();
    throw tooLarge();
  }
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  // A reader, not `for await`: the admin console's DOM-typed build reads this file too, and DOM's stream type is not iterable.
  const reader = response.body.getReader();
  try {
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      size += read.value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        throw tooLarge();
      }
      chunks.push(read.value);
    }
  } catch (error) {
    if (error instanceof ExternalCallError) throw error;
    throw errorFromNetwork(operation, error);
  }
  return Buffer.concat(chunks).toString('utf8');
}
