import type { Page } from 'playwright-core';
import { addConsolePerson, ConsolePerson, ConsoleRole, uniqueSuffix } from '@timelog-sync/testing';
import { OPERATOR_TOKEN, Pipeline } from './pipeline-fixture';

/** A new person at the local identity provider with `role` in `companyId` (operator: every company). */
export async function newConsolePerson(pipeline: Pipeline, role: ConsoleRole, companyId?: string): Promise<ConsolePerson> {
  const id = uniqueSuffix();
  const person = { email: `${role}-${id}@${companyId ?? 'ops'}.example`, password: `pw-${id}`, name: `${role[0].toUpperCase()}${role.slice(1)} ${id}` };
  await addConsolePerson(
    { identityProviderUrl: pipeline.system.url('identity-provider'), mappingServiceUrl: pipeline.system.url('mapping-service') },
    OPERATOR_TOKEN,
    person,
    role,
    companyId,
  );
  return person;
}

/**
 * Signs in through the console's button, the identity provider's form and back, as a person does. Cookies are
 * cleared first: the provider's own session would otherwise sign the previous person in again.
 */
export async function signInToConsole(page: Page, consoleUrl: string, person: ConsolePerson, landing: string): Promise<void> {
  await page.context().clearCookies();
  await page.goto(consoleUrl);
  await page.getByRole('link', { name: 'Sign in with your company account' }).click();
  await page.getByLabel('E-mail').fill(person.email);
  await page.getByLabel('Password').fill(person.password);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('heading', { level: 1, name: landing, exact: true }).waitFor();
}
