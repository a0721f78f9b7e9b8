// Test support: drives the simulator's control API (/_sim) the way other teams' end-to-end tests can.

export interface SeededCompany {
  companyId: string;
  apiKey: string;
  apiPersonId: number;
  personId: number;
  projectId: number;
  columns: { TODO: number; INPROGRESS: number; DONE: number };
}

export class SimulatorControl {
  constructor(readonly baseUrl: string) {}

  async send<T = any>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} -> ${response.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** A company with one person (Ann) and one HOURS project with the default To do / In progress / Done board. */
  async seedCompany(companyId: string, projectFields: Record<string, unknown> = {}): Promise<SeededCompany> {
    const apiKey = `key-${companyId}-${Math.random().toString(36).slice(2)}`;
    const company = await this.send('PUT', `/_sim/companies/${companyId}`, { apiKey });
    const person = await this.send('POST', `/_sim/companies/${companyId}/persons`, {
      first_name: 'Ann',
      last_name: 'Lee',
      email: `ann@${companyId}.example`,
    });
    const project = await this.send('POST', `/_sim/companies/${companyId}/projects`, { name: 'Website', ...projectFields });
    const column = (category: string) => project.workflow_columns.find((candidate: any) => candidate.category === category).id;
    return {
      companyId,
      apiKey,
      apiPersonId: company.apiPersonId,
      personId: person.id,
      projectId: project.id,
      columns: { TODO: column('TODO'), INPROGRESS: column('INPROGRESS'), DONE: column('DONE') },
    };
  }
}

/** Polls until `probe` returns a value other than undefined, or fails after the deadline. */
export async function eventually<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
