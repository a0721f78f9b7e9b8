import { AsyncLocalStorage } from 'node:async_hooks';

const companyStorage = new AsyncLocalStorage<string>();

/** Runs `work` with `companyId` as the current company, so every log line and span inside carries it. */
export function runWithCompany<T>(companyId: string, work: () => T): T {
  return companyStorage.run(companyId, work);
}

export function currentCompanyId(): string | undefined {
  return companyStorage.getStore();
}
