import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SpanKind, SpanStatusCode, context } from '@opentelemetry/api';
import { runWithCompany } from '../context/company-context';
import { registerSecret } from '../secrets/secret-registry';
import { FileSpanRecord } from './file-span-exporter';
import { TracingHandle, startTracing } from './start-tracing';
import { contextFromTraceparent, currentTraceparent, withSpan } from './trace-context';

describe('tracing with the memory exporter', () => {
  let tracing: TracingHandle;

  beforeAll(() => {
    tracing = startTracing({ serviceName: 'sync-writer', exporter: 'memory' });
  });
  afterAll(() => tracing.shutdown());
  beforeEach(() => tracing.memoryExporter?.reset());

  const finishedSpans = () => tracing.memoryExporter?.getFinishedSpans() ?? [];

  it('returns the running handle when started twice', () => {
    expect(startTracing({ serviceName: 'other', exporter: 'none' })).toBe(tracing);
  });

  it('carries a trace through a traceparent, as an outbox row or Kafka header would', async () => {
    const produced = await withSpan('outbox relay', { kind: SpanKind.PRODUCER }, async (span) => ({
      traceId: span.spanContext().traceId,
      spanId: span.spanContext().spanId,
      traceparent: currentTraceparent(),
    }));

    const consumed = await withSpan('consume', { kind: SpanKind.CONSUMER, parent: contextFromTraceparent(produced.traceparent) }, async (span) => ({
      traceId: span.spanContext().traceId,
      traceparent: currentTraceparent(),
    }));

    expect(produced.traceparent).toBe(`00-${produced.traceId}-${produced.spanId}-01`);
    expect(consumed.traceId).toBe(produced.traceId);
    expect(consumed.traceparent?.split('-')[1]).toBe(produced.traceId);
    const consumeSpan = finishedSpans().find((span) => span.name === 'consume');
    expect(consumeSpan?.parentSpanContext?.spanId).toBe(produced.spanId);
  });

  it('has no traceparent outside a span and starts a new trace from a missing or malformed one', async () => {
    expect(currentTraceparent()).toBeUndefined();
    const traceIds = await Promise.all(
      [undefined, 'not-a-traceparent'].map((traceparent) =>
        withSpan('poll', { parent: contextFromTraceparent(traceparent) }, async (span) => span.spanContext().traceId),
      ),
    );
    expect(traceIds[0]).not.toBe(traceIds[1]);
    expect(finishedSpans().every((span) => span.parentSpanContext === undefined)).toBe(true);
  });

  it('records a thrown error on the span, ends it and rethrows', async () => {
    await expect(
      withSpan('timelog InsertWork', {}, async () => {
        throw new Error('closed week');
      }),
    ).rejects.toThrow('closed week');

    const [span] = finishedSpans();
    expect(span.ended).toBe(true);
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'closed week' });
    expect(span.events.map((event) => event.name)).toEqual(['exception']);
  });

  it('tags spans with the current company', async () => {
    await runWithCompany('company-7', () => withSpan('writer decision', {}, async () => undefined));
    expect(finishedSpans()[0].attributes).toMatchObject({ company_id: 'company-7' });
  });

  it('scrubs registered secrets and sensitive-keyed attributes before export, including error messages', async () => {
    registerSecret('tl-password-41');
    await expect(
      withSpan('timelog GetToken', { attributes: { 'http.request.header.authorization': 'Basic abc', note: 'pw tl-password-41' } }, async (span) => {
        span.setAttribute('soap.fault', 'login tl-password-41 rejected');
        throw new Error('bad password tl-password-41');
      }),
    ).rejects.toThrow();

    const [span] = finishedSpans();
    expect(span.attributes).toMatchObject({
      'http.request.header.authorization': '[REDACTED]',
      note: 'pw [REDACTED]',
      'soap.fault': 'login [REDACTED] rejected',
    });
    expect(span.status.message).toBe('bad password [REDACTED]');
    expect(JSON.stringify(span.events)).not.toContain('tl-password-41');
  });

  it('leaves the caller context untouched after the span', async () => {
    const before = context.active();
    await withSpan('webhook ingest', {}, async () => undefined);
    expect(context.active()).toBe(before);
  });
});

describe('tracing with the file exporter', () => {
  it('writes one parseable JSON line per span with ids, parent, kind, service and times', async () => {
    const filePath = join(mkdtempSync(join(tmpdir(), 'traces-')), 'nested', 'spans.jsonl');
    const tracing = startTracing({ serviceName: 'forecast-ingestor', exporter: 'file', filePath });
    try {
      registerSecret('file-secret-99');
      await withSpan('webhook ingest', { kind: SpanKind.SERVER, attributes: { route: 'webhook' } }, () =>
        withSpan('forecast GET task', { kind: SpanKind.CLIENT, attributes: { hint: 'file-secret-99' } }, async () => undefined),
      );

      const records = readFileSync(filePath, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as FileSpanRecord);
      const [child, parent] = records;
      expect(records).toHaveLength(2);
      expect(child).toMatchObject({ name: 'forecast GET task', kind: 'CLIENT', serviceName: 'forecast-ingestor', attributes: { hint: '[REDACTED]' } });
      expect(parent).toMatchObject({ name: 'webhook ingest', kind: 'SERVER', attributes: { route: 'webhook' } });
      expect(parent.parentSpanId).toBeUndefined();
      expect(child.traceId).toBe(parent.traceId);
      expect(child.parentSpanId).toBe(parent.spanId);
      // The SDK anchors each span's start to Date.now() (whole milliseconds) and measures its duration
      // with the monotonic clock, so a child may end up to 1 ms after its parent on the record.
      expect(parent.start <= child.start).toBe(true);
      expect(nanos(child.end)).toBeLessThan(nanos(parent.end) + 1_000_000n);
      expect(parent.start).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
    } finally {
      await tracing.shutdown();
    }
  });

  it('refuses the file exporter without a path', () => {
    const saved = process.env.OTEL_TRACES_FILE;
    delete process.env.OTEL_TRACES_FILE;
    try {
      expect(() => startTracing({ serviceName: 'x', exporter: 'file' })).toThrow(/OTEL_TRACES_FILE/);
    } finally {
      if (saved !== undefined) process.env.OTEL_TRACES_FILE = saved;
    }
  });

  it('reads the exporter from OTEL_TRACES_EXPORTER and rejects unknown values', () => {
    process.env.OTEL_TRACES_EXPORTER = 'zipkin';
    try {
      expect(() => startTracing({ serviceName: 'x' })).toThrow(/OTEL_TRACES_EXPORTER/);
    } finally {
      delete process.env.OTEL_TRACES_EXPORTER;
    }
  });
});

/** ISO-8601 with nine fraction digits -> nanoseconds since the epoch. */
function nanos(timestamp: string): bigint {
  const [seconds, fraction] = timestamp.replace('Z', '').split('.');
  return BigInt(Date.parse(`${seconds}Z`)) * 1_000_000n + BigInt(fraction);
}
