import { isSpanContextValid, trace } from '@opentelemetry/api';
import pino, { DestinationStream, Logger } from 'pino';
import { currentCompanyId } from '../context/company-context';
import { scrubSecrets } from '../secrets/secret-registry';
import { redactSensitiveKeys } from '../secrets/sensitive-keys';

export type { Logger } from 'pino';

export interface LoggerOptions {
  /** Default: LOG_LEVEL, else 'info'. */
  level?: string;
  /** Default: stdout. Tests pass a stream to capture lines. */
  destination?: DestinationStream;
}

/** JSON logger whose every line carries service, trace_id, span_id and company_id, with secrets removed. */
export function createLogger(serviceName: string, options: LoggerOptions = {}): Logger {
  const logger = pino(
    {
      level: options.level ?? process.env.LOG_LEVEL ?? 'info',
      base: { service: serviceName },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        log: redactLogEntry,
      },
      // Errors are already serialized (and redacted) by redactLogEntry; pino's serializer would re-type them as Object.
      serializers: { err: (error: unknown) => error },
      mixin: correlationFields,
      // The finished line, message text included, is the last place a registered secret can be caught.
      hooks: { streamWrite: scrubSecrets },
    },
    options.destination,
  );
  return withRedactedChildBindings(logger);
}

// pino serializes child bindings once, without the log formatter, so they are redacted on the way in (pino-http
// binds every request's raw `req` this way: walking it would cost more than the request itself).
function withRedactedChildBindings(logger: Logger): Logger {
  const createChild = logger.child;
  logger.child = function (this: Logger, bindings, options) {
    return createChild.call(this, redactLogEntry(bindings), options);
  } as Logger['child'];
  return logger;
}

// req and res are raw Node objects that only the http logger's serializers, which keep no headers, may read.
function redactLogEntry<T extends Record<string, unknown>>(entry: T): T {
  const { req, res, ...rest } = entry;
  const redacted: Record<string, unknown> = redactSensitiveKeys(rest);
  if (req !== undefined) redacted.req = req;
  if (res !== undefined) redacted.res = res;
  return redacted as T;
}

function correlationFields(): Record<string, string> {
  const fields: Record<string, string> = {};
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (spanContext && isSpanContextValid(spanContext)) {
    fields.trace_id = spanContext.traceId;
    fields.span_id = spanContext.spanId;
  }
  const companyId = currentCompanyId();
  if (companyId) fields.company_id = companyId;
  return fields;
}
