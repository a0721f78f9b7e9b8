import 'reflect-metadata';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { createHttpLogger, createLogger, httpMetrics, NestPinoLogger, registerSecret } from '@timelog-sync/observability';
import { loadAdminConsoleConfig } from './config';
import { AdminConsoleModule } from './admin-console.module';

const PUBLIC_DIR = join(__dirname, '..', 'public');
/** The browser code is TypeScript (checked by tsconfig.browser.json); the build compiles it to `.mjs` here. */
const BROWSER_MODULES_DIR = join(__dirname, 'browser');

/** The page holds an admin key: only our own scripts, no framing, no referrer leaking company ids. */
function securityHeaders(_request: Request, response: Response, next: NextFunction) {
  response.setHeader('content-security-policy', "default-src 'self'; frame-ancestors 'none'; form-action 'self'");
  response.setHeader('x-content-type-options', 'nosniff');
  response.setHeader('referrer-policy', 'no-referrer');
  next();
}

async function main() {
  const config = loadAdminConsoleConfig();
  if (config.OPERATOR_TOKEN) registerSecret(config.OPERATOR_TOKEN);
  const logger = createLogger('admin-console', { level: config.LOG_LEVEL });
  // No body parser: the proxy forwards request bodies to the mapping service byte for byte.
  const app = await NestFactory.create<NestExpressApplication>(AdminConsoleModule.register(config), { bufferLogs: true, bodyParser: false });
  app.useLogger(new NestPinoLogger(logger));
  app.use(createHttpLogger(logger));
  app.use(httpMetrics());
  app.use(securityHeaders);
  app.useStaticAssets(PUBLIC_DIR);
  app.useStaticAssets(BROWSER_MODULES_DIR, { prefix: '/js' });
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  await app.listen(config.PORT, config.HTTP_HOST);
  logger.info({ port: config.PORT, mappingServiceUrl: config.MAPPING_SERVICE_URL }, 'admin console listening');
}

void main();
