import { Company } from './company';
import { CompanyFaults, CompanySettings, defaultFaults } from './company-switches';
import type { CustomFieldEntity, Deletion, TaskRecord, TimeRegistrationRecord } from './records';

export interface CompanySnapshot {
  id: string;
  apiKey: string;
  apiPersonId: number;
  lastCompanyTaskId: number;
  lastCompanyProjectId: number;
  settings: CompanySettings;
  faults: CompanyFaults;
  persons: unknown[];
  projects: unknown[];
  workflowColumns: unknown[];
  roles: unknown[];
  nonProjectTime: unknown[];
  tasks: unknown[];
  timeRegistrations: TimeRegistrationRecord[];
  deletedTasks: Deletion<TaskRecord>[];
  deletedTimeRegistrations: Deletion<TimeRegistrationRecord>[];
  webhookSubscriptions: unknown[];
  customFieldKeys: Record<CustomFieldEntity, string[]>;
}

export interface StoreSnapshot {
  lastId: number;
  companies: CompanySnapshot[];
}

const MAP_FIELDS = ['persons', 'projects', 'workflowColumns', 'roles', 'nonProjectTime', 'tasks', 'webhookSubscriptions'] as const;

/** All companies, found by id (control API) or by API key (Forecast API). Ids are global like Forecast's. */
export class SimulatorStore {
  private readonly companiesById = new Map<string, Company>();
  private readonly companiesByKey = new Map<string, Company>();
  private lastId = 0;
  private changeListener: () => void = () => undefined;

  /** A company not yet registered; the caller adds its API person and then {@link put}s it. */
  newCompany(companyId: string, apiKey: string): Company {
    return new Company(companyId, apiKey, this.nextId(), this.nextId);
  }

  private readonly nextId = (): number => ++this.lastId;

  onChange(listener: () => void): void {
    this.changeListener = listener;
  }

  changed(): void {
    this.changeListener();
  }

  byApiKey(apiKey: string): Company | undefined {
    return this.companiesByKey.get(apiKey);
  }

  byId(companyId: string): Company | undefined {
    return this.companiesById.get(companyId);
  }

  all(): Company[] {
    return [...this.companiesById.values()];
  }

  put(company: Company): void {
    this.remove(company.id);
    const holder = this.companiesByKey.get(company.apiKey);
    if (holder) throw new Error(`API key already used by company ${holder.id}`);
    this.companiesById.set(company.id, company);
    this.companiesByKey.set(company.apiKey, company);
  }

  remove(companyId: string): boolean {
    const company = this.companiesById.get(companyId);
    if (!company) return false;
    this.companiesById.delete(companyId);
    this.companiesByKey.delete(company.apiKey);
    return true;
  }

  clear(): void {
    this.companiesById.clear();
    this.companiesByKey.clear();
  }

  snapshot(): StoreSnapshot {
    return {
      lastId: this.lastId,
      companies: this.all().map((company) => ({
        id: company.id,
        apiKey: company.apiKey,
        apiPersonId: company.apiPersonId,
        lastCompanyTaskId: company.lastCompanyTaskId,
        lastCompanyProjectId: company.lastCompanyProjectId,
        settings: company.settings,
        faults: company.faults,
        ...Object.fromEntries(MAP_FIELDS.map((field) => [field, [...company[field].values()]])),
        timeRegistrations: [...company.timeRegistrations.values()],
        deletedTasks: company.deletedTasks,
        deletedTimeRegistrations: company.deletedTimeRegistrations,
        customFieldKeys: { TASK: [...company.customFieldKeys.TASK], TIME_REG: [...company.customFieldKeys.TIME_REG] },
      })) as CompanySnapshot[],
    };
  }

  restore(snapshot: StoreSnapshot): void {
    this.clear();
    this.lastId = snapshot.lastId;
    for (const saved of snapshot.companies) {
      const company = new Company(saved.id, saved.apiKey, saved.apiPersonId, this.nextId);
      company.lastCompanyTaskId = saved.lastCompanyTaskId;
      company.lastCompanyProjectId = saved.lastCompanyProjectId;
      company.settings = saved.settings;
      // Switches added since the file was written keep their defaults.
      company.faults = { ...defaultFaults(), ...saved.faults };
      for (const field of MAP_FIELDS) {
        const map = company[field] as Map<number, { id: number }>;
        for (const record of saved[field] as { id: number }[]) map.set(record.id, record);
      }
      saved.timeRegistrations.forEach((registration) => company.putTimeRegistration(registration));
      company.deletedTasks.push(...saved.deletedTasks);
      company.deletedTimeRegistrations.push(...saved.deletedTimeRegistrations);
      company.customFieldKeys.TASK = new Set(saved.customFieldKeys.TASK);
      company.customFieldKeys.TIME_REG = new Set(saved.customFieldKeys.TIME_REG);
      this.put(company);
    }
  }
}
