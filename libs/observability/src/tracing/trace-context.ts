import {
  Attributes,
  Context,
  ROOT_CONTEXT,
  Span,
  SpanKind,
  SpanStatusCode,
  context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  trace,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { currentCompanyId } from '../context/company-context';

const TRACER_NAME = 'timelog-sync';
export const TRACEPARENT_HEADER = 'traceparent';
// Independent of the global propagator, so outbox rows and Kafka headers always carry W3C format.
const w3c = new W3CTraceContextPropagator();

export interface SpanOptions {
  attributes?: Attributes;
  kind?: SpanKind;
  /** Parent to continue, e.g. from contextFromTraceparent(); default: the active context. */
  parent?: Context;
}

/** The W3C traceparent of the active span, for a Kafka header or an outbox row. */
export function currentTraceparent(): string | undefined {
  const carrier: Record<string, string> = {};
  w3c.inject(context.active(), carrier, defaultTextMapSetter);
  return carrier[TRACEPARENT_HEADER];
}

/** The trace id of the active span (an audit row's link to its trace); null outside any span. */
export function currentTraceId(): string | null {
  return trace.getActiveSpan()?.spanContext().traceId ?? null;
}

/** A context whose parent is the remote span named by `traceparent`; the root context when absent or malformed. */
export function contextFromTraceparent(traceparent?: string): Context {
  if (!traceparent) return ROOT_CONTEXT;
  return w3c.extract(ROOT_CONTEXT, { [TRACEPARENT_HEADER]: traceparent }, defaultTextMapGetter);
}

/** Runs `work` in a new active span that records a thrown error and always ends. */
export function withSpan<T>(name: string, options: SpanOptions, work: (span: Span) => Promise<T>): Promise<T> {
  const companyId = currentCompanyId();
  const attributes = companyId ? { company_id: companyId, ...options.attributes } : options.attributes;
  const parent = options.parent ?? context.active();
  return trace.getTracer(TRACER_NAME).startActiveSpan(name, { kind: options.kind, attributes }, parent, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      span.end();
    }
  });
}
