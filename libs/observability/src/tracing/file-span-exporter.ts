import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { SpanKind } from '@opentelemetry/api';
import { ExportResult, ExportResultCode, hrTimeToTimeStamp } from '@opentelemetry/core';
import { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

/** One line of the trace file: what an end-to-end test needs to rebuild a trace across processes. */
export interface FileSpanRecord {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: string;
  serviceName: string;
  attributes: Record<string, unknown>;
  status: { code: number; message?: string };
  events: { name: string; attributes?: Record<string, unknown> }[];
  /** ISO-8601 with nanoseconds, so records sort by time as strings. */
  start: string;
  end: string;
}

/**
 * Appends one JSON line per span. Writes are synchronous so a test reading the file while the
 * process runs sees every span exported so far, and several processes can share one file.
 */
export class FileSpanExporter implements SpanExporter {
  constructor(private readonly filePath: string) {
    mkdirSync(dirname(filePath), { recursive: true });
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    try {
      appendFileSync(this.filePath, spans.map((span) => JSON.stringify(toRecord(span)) + '\n').join(''));
      resultCallback({ code: ExportResultCode.SUCCESS });
    } catch (error) {
      resultCallback({ code: ExportResultCode.FAILED, error: error as Error });
    }
  }

  async shutdown(): Promise<void> {}

  async forceFlush(): Promise<void> {}
}

function toRecord(span: ReadableSpan): FileSpanRecord {
  const { traceId, spanId } = span.spanContext();
  return {
    traceId,
    spanId,
    parentSpanId: span.parentSpanContext?.spanId,
    name: span.name,
    kind: SpanKind[span.kind],
    serviceName: String(span.resource.attributes[ATTR_SERVICE_NAME]),
    attributes: { ...span.attributes },
    status: { code: span.status.code, message: span.status.message },
    events: span.events.map((event) => ({ name: event.name, attributes: event.attributes })),
    start: hrTimeToTimeStamp(span.startTime),
    end: hrTimeToTimeStamp(span.endTime),
  };
}
