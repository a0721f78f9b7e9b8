import pinoHttp from 'pino-http';
import { Logger } from 'pino';

const QUIET_PATHS = new Set(['/health', '/metrics']);

/**
 * Express middleware logging one line per request. Headers are left out on purpose (API keys,
 * authorization); the URL keeps its path only, since query strings may carry tokens.
 */
export function createHttpLogger(logger: Logger) {
  return pinoHttp({
    logger,
    autoLogging: { ignore: (request) => QUIET_PATHS.has(pathOf(request.url)) },
    serializers: {
      req: (request: { method?: string; url?: string }) => ({ method: request.method, path: pathOf(request.url) }),
      res: (response: { statusCode?: number }) => ({ statusCode: response.statusCode }),
    },
  });
}

function pathOf(url: string | undefined): string {
  return (url ?? '').split('?')[0];
}
