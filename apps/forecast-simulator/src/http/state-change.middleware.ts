import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { SimulatorStore } from '../state/simulator-store';

/** Any write (API or control) may change state: tell the store so the data file gets rewritten. */
@Injectable()
export class StateChangeMiddleware implements NestMiddleware {
  constructor(private readonly store: SimulatorStore) {}

  use(request: Request, response: Response, next: NextFunction): void {
    if (request.method !== 'GET') response.once('finish', () => this.store.changed());
    next();
  }
}
