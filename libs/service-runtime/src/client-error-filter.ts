import { ArgumentsHost, Catch, HttpException } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { Response } from 'express';

/**
 * Errors raised before a handler by the body parsers (413 too large, 415 charset, 400 bad encoding) follow the
 * http-errors convention (`status`, `expose`). They are the client's fault: answered with their reason as
 * JSON and not logged as server errors, so a flood of oversized bodies writes no stack traces.
 */
@Catch()
export class ClientErrorFilter extends BaseExceptionFilter {
  override catch(error: unknown, host: ArgumentsHost): void {
    const status = clientErrorStatus(error);
    if (status === undefined || host.getType() !== 'http') return super.catch(error, host);
    const { message, type } = error as { message: string; type?: string };
    host.switchToHttp().getResponse<Response>().status(status).json({ error: { code: (type ?? 'client_error').replace(/\./g, '_'), message } });
  }
}

function clientErrorStatus(error: unknown): number | undefined {
  if (error instanceof HttpException || typeof error !== 'object' || error === null) return undefined;
  const { status, expose } = error as { status?: unknown; expose?: unknown };
  return expose === true && typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}
