import { Injectable } from '@nestjs/common';
import { badRequest, notFound } from '../forecast/forecast-error';
import type { Company } from '../state/company';
import { SimulatorStore } from '../state/simulator-store';
import type { Actor } from '../webhooks/webhook-dispatcher';

/** Looks up companies and acting persons for the control API. */
@Injectable()
export class ControlCompanies {
  constructor(private readonly store: SimulatorStore) {}

  get(companyId: string): Company {
    const company = this.store.byId(companyId);
    if (!company) throw notFound('Company', companyId);
    return company;
  }

  /** A person using the Forecast app; `?personId=` names who clicks. */
  appUser(company: Company, rawPersonId: string | undefined): Actor {
    const personId = Number(rawPersonId);
    if (!company.persons.has(personId)) throw badRequest('personId must name a person of the company (the user acting in the app)');
    return { personId, viaApiKey: false };
  }
}
