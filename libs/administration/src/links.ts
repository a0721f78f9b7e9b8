import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { KEYS, TOPICS } from '@timelog-sync/contracts';
import {
  Company, countParkedByPerson, deleteProjectLink, deleteUserLink, enqueueEvent, findCompany, findProjectLinkByTimelogProject, findUserLinkByInitials, listProjectLinks, listUserLinks,
  saveProjectLink, saveUserLink,
} from '@timelog-sync/persistence';
import { CredentialVault } from '@timelog-sync/company-directory';
import { AdministrationError } from './administration-error';
import { AdminGatewayFactory } from './gateways';
import { pageInMemory, PageRequest } from './list-pages';
import type { Person } from '@timelog-sync/domain';

export interface LinkDependencies {
  dataSource: DataSource;
  vault: CredentialVault;
  gateways: AdminGatewayFactory;
}

const normalisedEmail = (email: string | null | undefined) => (email ?? '').trim().toLowerCase();
const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === '23505';

/**
 * People and project links: what the article's TimeLog dropdown does. Each change is published to the
 * compacted `mapping.links.v1` and, for a new link, a scoped backfill request, in the same transaction.
 */
export class IntegrationLinks {
  constructor(private readonly deps: LinkDependencies) {}

  /** Forecast's people (system users left out) by name, each with its link or a suggestion; `q` searches name, e-mail and linked initials. */
  async people(companyId: string, request: PageRequest) {
    const { forecast, timelog } = await this.gatewaysFor(companyId);
    const [persons, users, links, parked] = await Promise.all([
      forecast.listPersons(),
      timelog.listUsers(),
      listUserLinks(this.deps.dataSource, companyId),
      this.parkedByPerson(companyId),
    ]);
    const linkByPerson = new Map(links.map((link) => [link.forecastPersonId, link]));
    const linkedInitials = new Set(links.map((link) => link.timelogInitials));
    const userByEmail = new Map(users.filter((user) => user.email).map((user) => [normalisedEmail(user.email), user]));
    const describe = (person: Person) => {
      const link = linkByPerson.get(person.id);
      const match = userByEmail.get(normalisedEmail(person.email));
      return {
        forecastPersonId: person.id,
        name: `${person.firstName} ${person.lastName}`.trim(),
        email: person.email,
        active: person.active,
        link: link ? { timelogInitials: link.timelogInitials, timelogEmployeeId: link.timelogUserId } : null,
        suggestion: !link && match && !linkedInitials.has(match.initials) ? { timelogInitials: match.initials, timelogEmployeeId: match.employeeId, reason: 'same e-mail' } : null,
        parkedItems: parked.get(person.id) ?? 0,
      };
    };
    const page = pageInMemory(
      persons.filter((person) => !person.isSystemUser),
      (person) => [`${person.firstName} ${person.lastName}`.trim().toLowerCase(), String(person.id)],
      (person, q) => [`${person.firstName} ${person.lastName}`, person.email ?? '', linkByPerson.get(person.id)?.timelogInitials ?? ''].some((text) => text.toLowerCase().includes(q)),
      request,
    );
    return {
      timelogUsers: users.map((user) => ({ employeeId: user.employeeId, initials: user.initials, name: `${user.firstName} ${user.lastName}`.trim(), email: user.email ?? null, isActive: user.isActive })),
      /** Items parked for an unlinked person, over all people (not just this page). */
      parkedItems: [...parked.values()].reduce((sum, count) => sum + count, 0),
      people: { ...page, items: page.items.map(describe) },
    };
  }

  async linkPerson(companyId: string, forecastPersonId: number, timelogInitials: string) {
    const company = await this.activeCompany(companyId);
    const { forecast, timelog } = await this.gatewaysFor(companyId);
    const [persons, users] = await Promise.all([forecast.listPersons(), timelog.listUsers()]);
    if (!persons.some((person) => person.id === forecastPersonId)) throw new AdministrationError(404, 'link.person_not_found', `Forecast person ${forecastPersonId} does not exist`);
    const user = users.find((candidate) => candidate.initials.toLowerCase() === timelogInitials.toLowerCase());
    if (!user) throw new AdministrationError(404, 'link.user_not_found', `TimeLog has no user with initials ${timelogInitials}`);
    const linkedAt = new Date();
    await this.inTransactionMapping409(async (manager) => {
      const holder = await findUserLinkByInitials(manager, companyId, user.initials);
      if (holder && holder.forecastPersonId !== forecastPersonId) {
        throw new AdministrationError(409, 'link.user_taken', `TimeLog user ${user.initials} is already linked to Forecast person ${holder.forecastPersonId}`);
      }
      await saveUserLink(manager, { companyId, forecastPersonId, timelogInitials: user.initials, timelogUserId: user.employeeId, linkedAt });
      await enqueueEvent(manager, {
        topic: TOPICS.mappingLinks,
        key: KEYS.userLink(companyId, forecastPersonId),
        tenantId: companyId,
        value: { kind: 'user', companyId, forecastPersonId, timelogEmployeeInitials: user.initials, timelogUserId: user.employeeId, linkedAt: linkedAt.toISOString() },
      });
      await this.requestBackfill(manager, companyId, { kind: 'person', forecastPersonId }, company.syncFrom);
    });
    return { forecastPersonId, timelogInitials: user.initials, timelogEmployeeId: user.employeeId };
  }

  async unlinkPerson(companyId: string, forecastPersonId: number): Promise<void> {
    await this.deps.dataSource.transaction(async (manager) => {
      if (!(await deleteUserLink(manager, companyId, forecastPersonId))) throw new AdministrationError(404, 'link.not_found', `Forecast person ${forecastPersonId} is not linked`);
      await enqueueEvent(manager, { topic: TOPICS.mappingLinks, key: KEYS.userLink(companyId, forecastPersonId), tenantId: companyId, value: null });
    });
  }

  /** Forecast's projects by name, each with its link or a suggestion; `q` searches the name and the Forecast id. */
  async projects(companyId: string, request: PageRequest) {
    const { forecast, timelog } = await this.gatewaysFor(companyId);
    const [forecastProjects, timelogProjects, links] = await Promise.all([
      forecast.listProjects(),
      timelog.listProjects(),
      listProjectLinks(this.deps.dataSource, companyId),
    ]);
    const linkByProject = new Map(links.map((link) => [link.forecastProjectId, link]));
    const linkedTimeLog = new Set(links.map((link) => link.timelogProjectId));
    const timelogByName = new Map(timelogProjects.map((project) => [project.name.trim().toLowerCase(), project]));
    const page = pageInMemory(
      forecastProjects,
      (project) => [project.name.trim().toLowerCase(), String(project.id)],
      (project, q) => project.name.toLowerCase().includes(q) || String(project.id) === q,
      request,
    );
    return {
      timelogProjects: timelogProjects.map((p) => ({ projectId: p.projectId, name: p.name, no: p.no, isActive: p.isActive })),
      projects: {
        ...page,
        items: page.items.map((project) => {
          const link = linkByProject.get(project.id);
          const match = timelogByName.get(project.name.trim().toLowerCase());
          return {
            forecastProjectId: project.id,
            name: project.name,
            link: link ? { timelogProjectId: link.timelogProjectId, syncFrom: link.syncFrom } : null,
            suggestion: !link && match && !linkedTimeLog.has(match.projectId) ? { timelogProjectId: match.projectId, reason: 'same name' } : null,
          };
        }),
      },
    };
  }

  async linkProject(companyId: string, forecastProjectId: number, timelogProjectId: number, syncFrom?: string) {
    const company = await this.activeCompany(companyId);
    const { forecast, timelog } = await this.gatewaysFor(companyId);
    const [forecastProjects, timelogProjects] = await Promise.all([forecast.listProjects(), timelog.listProjects()]);
    if (!forecastProjects.some((p) => p.id === forecastProjectId)) throw new AdministrationError(404, 'link.project_not_found', `Forecast project ${forecastProjectId} does not exist`);
    if (!timelogProjects.some((p) => p.projectId === timelogProjectId)) throw new AdministrationError(404, 'link.timelog_project_not_found', `TimeLog project ${timelogProjectId} does not exist`);
    const from = syncFrom ?? company.syncFrom ?? new Date().toISOString().slice(0, 10);
    const linkedAt = new Date();
    await this.inTransactionMapping409(async (manager) => {
      const holder = await findProjectLinkByTimelogProject(manager, companyId, timelogProjectId);
      if (holder && holder.forecastProjectId !== forecastProjectId) {
        throw new AdministrationError(409, 'link.project_taken', `TimeLog project ${timelogProjectId} is already linked to Forecast project ${holder.forecastProjectId}`);
      }
      await saveProjectLink(manager, { companyId, forecastProjectId, timelogProjectId, syncFrom: from, linkedAt });
      await enqueueEvent(manager, {
        topic: TOPICS.mappingLinks,
        key: KEYS.projectLink(companyId, forecastProjectId),
        tenantId: companyId,
        value: { kind: 'project', companyId, forecastProjectId, timelogProjectId, syncFrom: from, linkedAt: linkedAt.toISOString() },
      });
      await this.requestBackfill(manager, companyId, { kind: 'project', forecastProjectId }, from);
    });
    return { forecastProjectId, timelogProjectId, syncFrom: from };
  }

  async unlinkProject(companyId: string, forecastProjectId: number): Promise<void> {
    await this.deps.dataSource.transaction(async (manager) => {
      if (!(await deleteProjectLink(manager, companyId, forecastProjectId))) throw new AdministrationError(404, 'link.not_found', `Forecast project ${forecastProjectId} is not linked`);
      await enqueueEvent(manager, { topic: TOPICS.mappingLinks, key: KEYS.projectLink(companyId, forecastProjectId), tenantId: companyId, value: null });
    });
  }

  private async requestBackfill(manager: EntityManager, companyId: string, scope: { kind: 'person'; forecastPersonId: number } | { kind: 'project'; forecastProjectId: number }, since: string | null) {
    const commandId = randomUUID();
    await enqueueEvent(manager, {
      topic: TOPICS.syncCommands,
      key: KEYS.command(companyId, commandId),
      tenantId: companyId,
      value: { command: 'backfill', commandId, companyId, scope, since: since ?? new Date().toISOString().slice(0, 10), requestedAt: new Date().toISOString() },
    });
  }

  /** The unique indexes are the last word on one-to-one links when two admins race. */
  private async inTransactionMapping409(work: (manager: EntityManager) => Promise<void>) {
    try {
      await this.deps.dataSource.transaction(work);
    } catch (error) {
      if (isUniqueViolation(error)) throw new AdministrationError(409, 'link.conflict', 'That TimeLog user or project was linked to someone else at the same moment');
      throw error;
    }
  }

  private async parkedByPerson(companyId: string): Promise<Map<number, number>> {
    const rows = await countParkedByPerson(this.deps.dataSource, companyId);
    return new Map(rows.map((row) => [Number(row.waiting_for.slice('user:'.length)), row.n]));
  }

  private async activeCompany(companyId: string): Promise<Company> {
    const company = await findCompany(this.deps.dataSource, companyId);
    if (!company) throw new AdministrationError(404, 'company.not_found', `Company ${companyId} does not exist`);
    if (company.status !== 'active') throw new AdministrationError(409, 'company.inactive', 'Activate the TimeLog integration before linking');
    return company;
  }

  private async gatewaysFor(companyId: string) {
    const company = await this.activeCompany(companyId);
    const credentials = await this.deps.vault.load(this.deps.dataSource, companyId);
    if (!credentials || !company.timelogDomain || !company.timelogAccountName) throw new AdministrationError(409, 'company.inactive', 'Activate the TimeLog integration first');
    return {
      forecast: this.deps.gateways.forecast({ baseUrl: company.forecastBaseUrl, apiKey: credentials.forecastApiKey }),
      timelog: this.deps.gateways.timelog({ domain: company.timelogDomain, accountName: company.timelogAccountName, ...credentials.timelog }),
    };
  }
}
