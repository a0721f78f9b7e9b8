import { join } from 'node:path';
import { Client, createClientAsync } from 'soap';

/** Our WSDL files (same contract as the simulator's); only the endpoint differs per site. */
export const TIMELOG_SERVICES = {
  security: { wsdl: 'security-service-v1_2.wsdl', path: 'WebServices/Security/V1_2/SecurityServiceSecure.svc' },
  projectManagement: { wsdl: 'project-management-service-v1_8.wsdl', path: 'WebServices/ProjectManagement/V1_8/ProjectManagementServiceSecure.svc' },
  organisation: { wsdl: 'organisation-service-v1_9.wsdl', path: 'WebServices/Organisation/V1_9/OrganisationServiceSecure.svc' },
  reporting: { wsdl: 'reporting-service.wsdl', path: 'service.asmx' },
} as const;
export type TimeLogService = keyof typeof TIMELOG_SERVICES;

export const WSDL_DIR = join(__dirname, '..', 'wsdl');

const clients = new Map<string, Promise<Client>>();

/**
 * One node-soap client per site and service, built once: parsing a WSDL per call would not survive polling a
 * thousand sites. `dateTime` stays a string so the token's `Expires` can be echoed byte for byte.
 */
export function soapClient(service: TimeLogService, baseUrl: string): Promise<Client> {
  const endpoint = `${baseUrl}/${TIMELOG_SERVICES[service].path}`;
  let client = clients.get(endpoint);
  if (!client) {
    client = createClientAsync(join(WSDL_DIR, TIMELOG_SERVICES[service].wsdl), {
      endpoint,
      customDeserializer: { dateTime: (text: string) => text, date: (text: string) => text },
      disableCache: false,
    });
    client.catch(() => clients.delete(endpoint));
    clients.set(endpoint, client);
  }
  return client;
}
