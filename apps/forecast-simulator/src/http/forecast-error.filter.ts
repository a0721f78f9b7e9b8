import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';

/** Every error leaves as Forecast's `{status, message}` body, including Nest's own 404s and JSON parse errors. */
@Catch()
export class ForecastErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(ForecastErrorFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const { status, message } = this.describe(exception);
    response.status(status).json({ status, message });
  }

  private describe(exception: unknown): { status: number; message: string } {
    if (exception instanceof HttpException) {
      const body = exception.getResponse();
      const message = typeof body === 'string' ? body : (body as { message?: unknown }).message;
      return { status: exception.getStatus(), message: Array.isArray(message) ? message.join('; ') : String(message ?? exception.message) };
    }
    this.logger.error(exception);
    return { status: 500, message: 'Internal Server Error' };
  }
}
