import { SpanKind } from '@opentelemetry/api';
import type { FailureClass, Vendor } from '@timelog-sync/domain';
import { withSpan } from '../tracing/trace-context';
import { syncMetrics } from './sync-metrics';

/**
 * Runs one Forecast or TimeLog call inside a client span (vendor and operation only: never bodies or
 * credentials), timing it and counting failures by the `failureClass` of the thrown ExternalCallError.
 */
export async function observeExternalCall<T>(vendor: Vendor, operation: string, call: () => Promise<T>): Promise<T> {
  const stopTimer = syncMetrics.externalCallDuration.startTimer({ vendor, operation });
  try {
    return await withSpan(`${vendor} ${operation}`, { kind: SpanKind.CLIENT, attributes: { vendor, operation } }, async (span) => {
      try {
        return await call();
      } catch (error) {
        const failureClass = failureClassOf(error);
        span.setAttribute('failure_class', failureClass);
        syncMetrics.externalCallErrors.inc({ vendor, operation, class: failureClass });
        throw error;
      }
    });
  } finally {
    stopTimer();
  }
}

/** 'unclassified' means a client let an error through without wrapping it in ExternalCallError. */
export function failureClassOf(error: unknown): FailureClass | 'unclassified' {
  const failureClass = (error as { failureClass?: unknown } | null)?.failureClass;
  return failureClass === 'retryable' || failureClass === 'permanent' ? failureClass : 'unclassified';
}
