import { Attributes, Context } from '@opentelemetry/api';
import { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { scrubSecrets } from '../secrets/secret-registry';
import { isSensitiveKey, REDACTED } from '../secrets/sensitive-keys';

/**
 * Wraps the exporting processor and scrubs registered secret values and sensitive-keyed attributes
 * when a span ends, before any exporter sees it. Scrubbing at the end (not at setAttribute) also
 * catches secrets registered after the attribute was set.
 */
export class SecretScrubbingSpanProcessor implements SpanProcessor {
  constructor(private readonly exporting: SpanProcessor) {}

  onStart(span: Span, parentContext: Context): void {
    this.exporting.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    scrubAttributes(span.attributes);
    for (const event of span.events) if (event.attributes) scrubAttributes(event.attributes);
    // ReadableSpan is read-only by type only; mutating in place keeps every downstream consumer consistent.
    const status = span.status as { message?: string };
    if (status.message) status.message = scrubSecrets(status.message);
    this.exporting.onEnd(span);
  }

  forceFlush(): Promise<void> {
    return this.exporting.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.exporting.shutdown();
  }
}

function scrubAttributes(attributes: Attributes): void {
  const writable = attributes as Record<string, unknown>;
  for (const [key, value] of Object.entries(attributes)) {
    const lastSegment = key.slice(key.lastIndexOf('.') + 1);
    if (isSensitiveKey(lastSegment)) writable[key] = REDACTED;
    else if (typeof value === 'string') writable[key] = scrubSecrets(value);
    else if (Array.isArray(value)) writable[key] = value.map((item) => (typeof item === 'string' ? scrubSecrets(item) : item));
  }
}
