import pinoHttp from 'pino-http';
import { Logger } from 'pino';
import { redactWebhookToken } from '../secrets/secret-registry';

const QUIET_PATHS = new Set(['/health', '/metrics']);

/**
 * Express middleware logging one line per request, whatever its outcome (also 400, 413, 415, 429 answered
 * before any handler). Headers are left out on purpose (API keys, authorization); the URL keeps its path only,
 * since query strings may carry tokens, and a webhook path's token segment is redacted.
 */
export function createHttpLogger(logger: Logger) {
  return pinoHttp({
    logger,
    autoLogging: { ignore: (request) => QUIET_PATHS.has(pathOf(request.url)) },
    serializers: {
      req: (request: { method?: string; url?: string }) => ({ method: request.method, path: redactWebhookToken(pathOf(request.url)) }),
      res: (response: { statusCode?: number }) => ({ statusCode: response.statusCode }),
    },
  });
}

function pathOf(url: string | undefined): string {
  return (url ?? '').split('?')[0];
}
