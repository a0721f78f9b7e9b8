import { HttpException } from '@nestjs/common';

/** An error answered with Forecast's documented body `{status, message}`. */
export class ForecastError extends HttpException {
  constructor(status: number, message: string) {
    super({ status, message }, status);
  }
}

export const notFound = (what: string, id: unknown) => new ForecastError(404, `${what} with id ${String(id)} not found`);
export const badRequest = (message: string) => new ForecastError(400, message);
