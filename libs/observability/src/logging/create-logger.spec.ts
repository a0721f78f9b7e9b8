import { SpanKind } from '@opentelemetry/api';
import { runWithCompany } from '../context/company-context';
import { registerSecret } from '../secrets/secret-registry';
import { TracingHandle, startTracing } from '../tracing/start-tracing';
import { withSpan } from '../tracing/trace-context';
import { createLogger } from './create-logger';
import { NestPinoLogger } from './nest-pino-logger';

function capturingLogger(level = 'debug') {
  const lines: Record<string, any>[] = [];
  const raw: string[] = [];
  const logger = createLogger('sync-writer', {
    level,
    destination: {
      write: (line: string) => {
        raw.push(line);
        lines.push(JSON.parse(line));
      },
    },
  });
  return { logger, lines, raw };
}

describe('createLogger', () => {
  let tracing: TracingHandle;
  beforeAll(() => {
    tracing = startTracing({ serviceName: 'sync-writer', exporter: 'none' });
  });
  afterAll(() => tracing.shutdown());

  it('redacts sensitive keys and registered secrets in free text from the same line', () => {
    const { logger, lines, raw } = capturingLogger();
    registerSecret('decrypted-forecast-key-77');

    logger.info(
      { tenant: { username: 'anna', password: 'hunter22', reportingPassword: 'rp' }, headers: { 'x-forecast-api-key': 'k' } },
      'calling Forecast with decrypted-forecast-key-77',
    );

    expect(lines[0]).toMatchObject({
      level: 'info',
      service: 'sync-writer',
      msg: 'calling Forecast with [REDACTED]',
      tenant: { username: 'anna', password: '[REDACTED]', reportingPassword: '[REDACTED]' },
      headers: { 'x-forecast-api-key': '[REDACTED]' },
    });
    expect(raw[0]).not.toMatch(/hunter22|decrypted-forecast-key-77/);
  });

  it('scrubs secrets from child bindings and logged errors', () => {
    const { logger, lines, raw } = capturingLogger();
    registerSecret('soap-hash-ABCDEF==');

    logger.child({ module: 'timelog' }).child({ apiKey: 'child-key', tokenHash: 'soap-hash-ABCDEF==' }).error(
      { err: Object.assign(new Error('GetToken echoed soap-hash-ABCDEF=='), { token: 'tok' }) },
      'token refresh failed',
    );

    expect(lines[0]).toMatchObject({ module: 'timelog', apiKey: '[REDACTED]', tokenHash: '[REDACTED]', err: { token: '[REDACTED]', type: 'Error' } });
    expect(lines[0].err.message).toBe('GetToken echoed [REDACTED]');
    expect(raw[0]).not.toMatch(/child-key|soap-hash-ABCDEF|"tok"/);
  });

  it('puts trace, span and company ids on lines written inside a span and a company', async () => {
    const { logger, lines } = capturingLogger();

    const spanContext = await runWithCompany('company-42', () =>
      withSpan('writer decision', { kind: SpanKind.INTERNAL }, async (span) => {
        logger.info('deciding');
        return span.spanContext();
      }),
    );
    logger.info('outside');

    expect(lines[0]).toMatchObject({ trace_id: spanContext.traceId, span_id: spanContext.spanId, company_id: 'company-42' });
    expect(lines[1]).not.toHaveProperty('trace_id');
    expect(lines[1]).not.toHaveProperty('company_id');
  });

  it('takes its level from LOG_LEVEL', () => {
    process.env.LOG_LEVEL = 'warn';
    try {
      expect(createLogger('x', { destination: { write: () => undefined } }).level).toBe('warn');
    } finally {
      delete process.env.LOG_LEVEL;
    }
  });
});

describe('NestPinoLogger', () => {
  it("maps Nest's calls to levels with context and stack, redacting like any other line", () => {
    const { logger, lines } = capturingLogger();
    const nest = new NestPinoLogger(logger);
    registerSecret('nest-visible-secret');

    nest.log('Mapped {/metrics, GET} route', 'RouterExplorer');
    nest.error('Request failed nest-visible-secret', 'Error: at handler', 'ExceptionsHandler');
    nest.warn({ msg: 'slow', password: 'p' }, 'Poller');
    nest.verbose('not shown at debug');

    expect(lines).toEqual([
      expect.objectContaining({ level: 'info', msg: 'Mapped {/metrics, GET} route', context: 'RouterExplorer' }),
      expect.objectContaining({ level: 'error', msg: 'Request failed [REDACTED]', stack: 'Error: at handler', context: 'ExceptionsHandler' }),
      expect.objectContaining({ level: 'warn', msg: 'slow', password: '[REDACTED]', context: 'Poller' }),
    ]);
  });
});
