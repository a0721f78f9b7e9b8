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
    const refusal = clientRefusalOf(error);
    if (host.getType() !== 'http' || !refusal) return super.catch(error, host);
    host.switchToHttp().getResponse<Response>().status(refusal.status).json({ error: { code: refusal.code, message: refusal.message } });
  }
}

/**
 * A body parser's refusal as the services answer it (status, code from its type, message), or null for any other
 * error. Read from the marks http-errors sets (`status`, `expose`) on whatever it raises, a SyntaxError for a body
 * that is not JSON included.
 */
export function clientRefusalOf(error: unknown): { status: number; code: string; message: string } | null {
  const { status, expose, type, message } = (error ?? {}) as { status?: unknown; expose?: unknown; type?: string; message?: string };
  if (typeof status !== 'number' || expose !== true || status < 400 || status >= 500) return null;
  return { status, code: (type ?? 'client_error').replace(/\./g, '_'), message: message ?? 'The request was refused' };
}
