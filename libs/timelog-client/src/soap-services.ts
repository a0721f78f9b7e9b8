import { join } from 'node:path';
import { LRUCache } from 'lru-cache';
import { Client, createClientAsync, HttpClient } from 'soap';

/** Our WSDL files (same contract as the simulator's); only the endpoint differs per site. */
export const TIMELOG_SERVICES = {
  security: { wsdl: 'security-service-v1_2.wsdl', path: 'WebServices/Security/V1_2/SecurityServiceSecure.svc' },
  projectManagement: { wsdl: 'project-management-service-v1_8.wsdl', path: 'WebServices/ProjectManagement/V1_8/ProjectManagementServiceSecure.svc' },
  organisation: { wsdl: 'organisation-service-v1_9.wsdl', path: 'WebServices/Organisation/V1_9/OrganisationServiceSecure.svc' },
  reporting: { wsdl: 'reporting-service.wsdl', path: 'service.asmx' },
} as const;
export type TimeLogService = keyof typeof TIMELOG_SERVICES;

export const WSDL_DIR = join(__dirname, '..', 'wsdl');

/** SOAP 1.1 forbids a DTD in a message: one in a response is refused, so no entity is ever expanded. */
export class DtdInResponse extends Error {}

const declaresDtd = (body: unknown) => typeof body === 'string' && /<!DOCTYPE/i.test(body);

class DtdRefusingHttpClient extends HttpClient {
  /** node-soap would cut the DTD off before the envelope; kept, so `request` can refuse the response. */
  override handleResponse(...[request, response, body]: Parameters<HttpClient['handleResponse']>): unknown {
    return declaresDtd(body) ? body : super.handleResponse(request, response, body);
  }

  override request(...[url, data, callback, ...rest]: Parameters<HttpClient['request']>): ReturnType<HttpClient['request']> {
    const refusingDtd: typeof callback = (error, response, body) =>
      callback(error ?? (declaresDtd(body) ? new DtdInResponse('the response carries a Document Type Declaration (refused)') : null), response, body);
    return super.request(url, data, refusingDtd, ...rest);
  }
}

/**
 * Bounded: a thousand sites with four services each stay cached, a churn of companies cannot grow the process
 * without limit (clients share node-soap's parsed WSDL, so one is small; an evicted one is rebuilt on next use).
 */
const clients = new LRUCache<string, Promise<Client>>({ max: 4_000 });

/**
 * One node-soap client per site and service, built once: parsing a WSDL per call would not survive polling a
 * thousand sites. `dateTime` stays a string so the token's `Expires` can be echoed byte for byte.
 */
export function soapClient(service: TimeLogService, baseUrl: string): Promise<Client> {
  const endpoint = `${baseUrl}/${TIMELOG_SERVICES[service].path}`;
  let client = clients.get(endpoint);
  if (!client) {
    client = wsdlParsed(service).then(() => createClientAsync(join(WSDL_DIR, TIMELOG_SERVICES[service].wsdl), clientOptions(endpoint)));
    client.catch(() => clients.delete(endpoint));
    clients.set(endpoint, client);
  }
  return client;
}

/**
 * node-soap keeps each client's last request and response (bodies and headers) on the client. With a client per
 * site and service cached, that was every site's last change-log page alive at once: about 40 MB of the poller's
 * 128 MB heap when it walked ten thousand companies, and its crash. We read neither, so they are dropped after each
 * call (a concurrent call of the same client loses nothing: node-soap parses the body it was handed, not these).
 */
export function forgetLastExchange(client: Client): void {
  client.lastRequest = undefined;
  client.lastMessage = undefined;
  client.lastEndpoint = undefined;
  client.lastRequestHeaders = undefined;
  client.lastResponse = undefined;
  client.lastResponseHeaders = undefined;
}

const clientOptions = (endpoint?: string) => ({
  endpoint,
  customDeserializer: { dateTime: (text: string) => text, date: (text: string) => text },
  disableCache: false,
  httpClient: new DtdRefusingHttpClient(),
});

/**
 * node-soap keeps a parsed WSDL only once its first parse has finished: clients asked for meanwhile (a poller
 * starting on twenty sites at once) would each parse it again and keep their own copy. One parse per service first.
 */
const parsedWsdls = new Map<TimeLogService, Promise<unknown>>();
function wsdlParsed(service: TimeLogService): Promise<unknown> {
  let parsed = parsedWsdls.get(service);
  if (!parsed) {
    parsed = createClientAsync(join(WSDL_DIR, TIMELOG_SERVICES[service].wsdl), clientOptions());
    parsed.catch(() => parsedWsdls.delete(service));
    parsedWsdls.set(service, parsed);
  }
  return parsed;
}
