import { ArgumentsHost, Catch } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { Response } from 'express';
import { HttpError } from 'http-errors';

/**
 * Errors raised before a handler by the body parsers (413 too large, 415 charset, 400 bad encoding) are http-errors
 * (`status`, `expose`). They are the client's fault: answered with their reason as JSON and not logged as server
 * errors, so a flood of oversized bodies writes no stack traces. Only those: an app's own filters (e.g. the mapping
 * service's refusals) keep every other error.
 */
@Catch(HttpError)
export class ClientErrorFilter extends BaseExceptionFilter {
  override catch(error: HttpError, host: ArgumentsHost): void {
    if (host.getType() !== 'http' || !error.expose || error.status < 400 || error.status >= 500) return super.catch(error, host);
    const code = ((error as { type?: string }).type ?? 'client_error').replace(/\./g, '_');
    host.switchToHttp().getResponse<Response>().status(error.status).json({ error: { code, message: error.message } });
  }
}
