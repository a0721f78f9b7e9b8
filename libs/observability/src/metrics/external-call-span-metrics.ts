import { Attributes, Context, SpanStatusCode } from '@opentelemetry/api';
import { hrTimeToMilliseconds } from '@opentelemetry/core';
import { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Vendor, VENDORS } from '@timelog-sync/domain';
import { failureClassOf } from './observe-external-call';
import { syncMetrics } from './sync-metrics';

/** The vendor whose client made the span with these attributes (it names `<vendor>.operation`); none for other spans. */
export const vendorOfCall = (attributes: Attributes): Vendor | undefined =>
  VENDORS.find((vendor) => typeof attributes[`${vendor}.operation`] === 'string');

/**
 * Turns the vendor clients' own call spans (`forecast.operation` / `timelog.operation`, with `<vendor>.failure_class`
 * on failure) into the external-call latency and error metrics, so every Forecast and TimeLog call is counted
 * whether or not a trace exporter is configured. Spans from observeExternalCall carry `vendor`/`operation`
 * instead and are already counted there.
 */
export class ExternalCallSpanMetrics implements SpanProcessor {
  onStart(_span: Span, _parentContext: Context): void {}

  onEnd(span: ReadableSpan): void {
    const vendor = vendorOfCall(span.attributes);
    if (!vendor) return;
    const operation = String(span.attributes[`${vendor}.operation`]);
    syncMetrics.externalCallDuration.observe({ vendor, operation }, hrTimeToMilliseconds(span.duration) / 1000);
    if (span.status.code !== SpanStatusCode.ERROR) return;
    const failureClass = failureClassOf({ failureClass: span.attributes[`${vendor}.failure_class`] });
    syncMetrics.externalCallErrors.inc({ vendor, operation, class: failureClass });
  }

  async forceFlush(): Promise<void> {}

  async shutdown(): Promise<void> {}
}
