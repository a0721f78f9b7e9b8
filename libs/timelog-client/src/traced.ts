import { SpanStatusCode, trace } from '@opentelemetry/api';
import { ExternalCallError } from '@timelog-sync/domain';

const tracer = trace.getTracer('timelog-client');

/** One span per TimeLog operation; attributes name the operation and failure class, never credentials or bodies. */
export function traced<T>(operation: string, call: () => Promise<T>): Promise<T> {
  return tracer.startActiveSpan(`timelog ${operation}`, { attributes: { 'timelog.operation': operation } }, async (span) => {
    try {
      return await call();
    } catch (error) {
      if (error instanceof ExternalCallError) {
        span.setAttribute('timelog.failure_class', error.failureClass);
        if (error.code) span.setAttribute('timelog.error_code', error.code);
      }
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof ExternalCallError ? error.message : 'unexpected error' });
      throw error;
    } finally {
      span.end();
    }
  });
}
