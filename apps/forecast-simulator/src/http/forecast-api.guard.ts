import { CanActivate, ExecutionContext, Injectable, createParamDecorator } from '@nestjs/common';
import type { Request, Response } from 'express';
import { setTimeout as sleep } from 'node:timers/promises';
import { ForecastError } from '../forecast/forecast-error';
import type { Company } from '../state/company';
import { SimulatorStore } from '../state/simulator-store';
import type { Actor } from '../webhooks/webhook-dispatcher';

const companyOfRequest = new WeakMap<Request, Company>();

/**
 * The Forecast API's front door: key check (401), per-endpoint call counting, the invented chaos
 * switches (latency, 429 with Retry-After, 5xx bursts, objects that always fail) and the JSON content type on writes (415).
 */
@Injectable()
export class ForecastApiGuard implements CanActivate {
  constructor(private readonly store: SimulatorStore) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    const response = context.switchToHttp().getResponse<Response>();
    const company = this.store.byApiKey(request.header('x-forecast-api-key') ?? '');
    if (!company) throw new ForecastError(401, 'Server failed to authenticate the request.');
    companyOfRequest.set(request, company);
    this.count(company, request, response);

    const faults = company.faults;
    if (faults.latencyMs > 0) await sleep(faults.latencyMs);
    if (faults.rateLimit.remainingCalls > 0) {
      faults.rateLimit.remainingCalls -= 1;
      response.setHeader('Retry-After', String(faults.rateLimit.retryAfterSeconds));
      throw new ForecastError(429, 'Too Many Requests');
    }
    if (faults.serverErrors.remainingCalls > 0) {
      faults.serverErrors.remainingCalls -= 1;
      throw new ForecastError(faults.serverErrors.status, 'Server error, please retry later');
    }
    if (Object.values(request.params ?? {}).some((value) => faults.failingObjects.ids.includes(Number(value)))) {
      throw new ForecastError(faults.failingObjects.status, 'Server error, please retry later');
    }
    if ((request.method === 'POST' || request.method === 'PUT') && !request.is('application/json')) {
      throw new ForecastError(415, 'Unsupported Media Type');
    }
    return true;
  }

  private count(company: Company, request: Request, response: Response): void {
    const endpoint = `${request.method} ${(request.route as { path?: string } | undefined)?.path ?? request.path}`;
    company.callCounts.set(endpoint, (company.callCounts.get(endpoint) ?? 0) + 1);
    company.inFlight += 1;
    company.maxInFlight = Math.max(company.maxInFlight, company.inFlight);
    response.once('close', () => (company.inFlight -= 1));
  }
}

/** The company the API key belongs to (set by {@link ForecastApiGuard}). */
export const ApiCompany = createParamDecorator((_data: unknown, context: ExecutionContext): Company => {
  return companyOfRequest.get(context.switchToHttp().getRequest<Request>())!;
});

export const apiKeyActor = (company: Company): Actor => ({ personId: company.apiPersonId, viaApiKey: true });
