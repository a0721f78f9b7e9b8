import { httpJson } from './http-json';

/** Someone who signs in to the console at the local identity provider. */
export interface ConsolePerson {
  email: string;
  password: string;
  name: string;
}

export type ConsoleRole = 'owner' | 'editor' | 'viewer' | 'operator';

/**
 * Creates `person` at the local identity provider and grants them `role` in `companyId` (operators: every company)
 * through the operator API, as an SRE would.
 */
export async function addConsolePerson(
  urls: { identityProviderUrl: string; mappingServiceUrl: string },
  operatorToken: string,
  person: ConsolePerson,
  role: ConsoleRole,
  companyId?: string,
): Promise<void> {
  await httpJson('PUT', `${urls.identityProviderUrl}/_sim/users`, person);
  const operator = { authorization: `Bearer ${operatorToken}` };
  const email = encodeURIComponent(person.email);
  if (role === 'operator') await httpJson('PUT', `${urls.mappingServiceUrl}/operator/operators/${email}`, undefined, operator);
  else await httpJson('PUT', `${urls.mappingServiceUrl}/operator/companies/${companyId}/grants/${email}`, { role }, operator);
}
