import type { TimeLogSite } from '@timelog-sync/timelog-client';
import type { Person, Project, TimeLogProject, TimeLogUser, WebhookSubscription, NewWebhookSubscription } from '@timelog-sync/domain';

/** The TimeLog calls administration needs, for one site. Failures throw ExternalCallError. */
export interface TimeLogAdminGateway {
  /** SecurityService.GetToken with the integration user. */
  verifyLogin(): Promise<void>;
  /** Reporting ValidateCredentials; false on HTTP 401. */
  validateReporting(): Promise<boolean>;
  /** Reporting GetEmployeesRaw (the only source with e-mail). */
  listUsers(): Promise<TimeLogUser[]>;
  listProjects(): Promise<TimeLogProject[]>;
}

export interface ForecastAdminGateway {
  listPersons(): Promise<Person[]>;
  listProjects(): Promise<Project[]>;
  createWebhookSubscription(subscription: NewWebhookSubscription): Promise<WebhookSubscription>;
  deleteWebhookSubscription(subscriptionId: number): Promise<void>;
}

/** The article's seven TimeLog fields, as the client takes them. */
export type TimeLogSiteSettings = TimeLogSite;

export interface AdminGatewayFactory {
  timelog(site: TimeLogSiteSettings): TimeLogAdminGateway;
  forecast(connection: { baseUrl: string; apiKey: string }): ForecastAdminGateway;
}
