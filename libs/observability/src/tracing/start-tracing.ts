import { IncomingMessage } from 'node:http';
import { context, propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  ConsoleSpanExporter,
  InMemorySpanExporter,
  Sampler,
  SimpleSpanProcessor,
  SpanExporter,
  SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { z } from 'zod';
import { parseConfig } from '@timelog-sync/config';
import { ExternalCallSpanMetrics } from '../metrics/external-call-span-metrics';
import { FileSpanExporter } from './file-span-exporter';
import { otelChoice, samplerEnv, samplerOf, VendorCallsRecorded } from './sampling';
import { SecretScrubbingSpanProcessor } from './secret-scrubbing-span-processor';

export const TRACE_EXPORTERS = ['none', 'console', 'otlp', 'file', 'memory'] as const;
export type TraceExporterKind = (typeof TRACE_EXPORTERS)[number];

/** The standard OpenTelemetry variables tracing reads, validated like every other setting (a bad one is a ConfigError). */
const tracingEnv = z.object({
  OTEL_TRACES_EXPORTER: otelChoice(TRACE_EXPORTERS, 'none'),
  ...samplerEnv,
});

export interface TracingOptions {
  serviceName: string;
  /** Default: OTEL_TRACES_EXPORTER, else 'none'. */
  exporter?: TraceExporterKind;
  /** JSON-lines file for the 'file' exporter. Default: OTEL_TRACES_FILE. */
  filePath?: string;
  /** Full OTLP/HTTP traces URL. Default: the exporter's own reading of OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT. */
  otlpUrl?: string;
  /** Which traces are kept. Default: OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG, else every trace. */
  sampler?: Sampler;
}

export interface TracingHandle {
  /** Flushes pending spans and unregisters everything, so tracing can be started again. */
  shutdown(): Promise<void>;
  /** Present with the 'memory' exporter. */
  memoryExporter?: InMemorySpanExporter;
}

const OPERATIONAL_PATHS = ['/health', '/metrics'];

let running: TracingHandle | undefined;

/**
 * Starts tracing for this process (a bad OTEL_* variable throws a ConfigError). Call it before Nest (and anything
 * that creates HTTP servers or clients) is loaded, so the HTTP instrumentation hooks in. A second call returns the
 * first handle.
 */
export function startTracing(options: TracingOptions): TracingHandle {
  if (running) return running;
  const env = parseConfig(tracingEnv);
  const kind = options.exporter ?? env.OTEL_TRACES_EXPORTER;
  const memoryExporter = kind === 'memory' ? new InMemorySpanExporter() : undefined;
  const exporting = exportingProcessor(kind, options, memoryExporter);
  const sampler = new VendorCallsRecorded(options.sampler ?? samplerOf(env));

  // With no exporter or an unsampled trace, trace ids still reach logs and traceparent headers, and vendor calls metrics.
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.serviceName }),
    sampler,
    spanProcessors: [new ExternalCallSpanMetrics(), ...(exporting ? [new SecretScrubbingSpanProcessor(exporting)] : [])],
  });
  // The default context manager of the Node provider is AsyncLocalStorage based.
  provider.register({ propagator: new W3CTraceContextPropagator() });
  const unregisterInstrumentations = registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({ ignoreIncomingRequestHook: (request: IncomingMessage) => isOperationalPath(request.url) }),
      // Only queries inside a traced unit of work: the outbox relay and schedulers poll every few milliseconds.
      // Statements are parameterised, so values (and secrets) never reach db.statement.
      new PgInstrumentation({ requireParentSpan: true }),
    ],
  });

  const handle: TracingHandle = {
    memoryExporter,
    async shutdown() {
      if (running !== handle) return;
      running = undefined;
      unregisterInstrumentations();
      await provider.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
  running = handle;
  return handle;
}

function exportingProcessor(
  kind: TraceExporterKind,
  options: TracingOptions,
  memoryExporter: InMemorySpanExporter | undefined,
): SpanProcessor | undefined {
  switch (kind) {
    case 'none':
      return undefined;
    case 'memory':
      return new SimpleSpanProcessor(memoryExporter as SpanExporter);
    case 'console':
      return new SimpleSpanProcessor(new ConsoleSpanExporter());
    case 'file': {
      const filePath = options.filePath ?? process.env.OTEL_TRACES_FILE;
      if (!filePath) throw new Error('The file trace exporter needs filePath or OTEL_TRACES_FILE');
      // Per span, not batched: end-to-end tests read the file while the processes still run.
      return new SimpleSpanProcessor(new FileSpanExporter(filePath));
    }
    case 'otlp': {
      // Loaded only when chosen: the exporter with its protobuf encoder is about 4 MB of heap in every service.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
      return new BatchSpanProcessor(new OTLPTraceExporter(options.otlpUrl ? { url: options.otlpUrl } : {}));
    }
  }
}

function isOperationalPath(url: string | undefined): boolean {
  const path = (url ?? '').split('?')[0];
  return OPERATIONAL_PATHS.includes(path);
}
