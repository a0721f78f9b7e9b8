import { join } from 'node:path';
import type { Client, HttpClient } from 'soap';
import { readSoapResponse } from './soap-response';

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

/** What one call carries besides node-soap's own request options: the site it goes to. */
export interface SiteCallOptions {
  /** The service's address on the site: one client serves every site, so the address travels with each call. */
  siteEndpoint: string;
  timeout: number;
  maxContentLength: number;
}

/** node-soap's HTTP client, sending each call to its site and refusing a response with a DTD. */
function siteHttpClient(base: typeof HttpClient): HttpClient {
  class SiteHttpClient extends base {
    /** node-soap would cut the DTD off before the envelope; kept, so `request` can refuse the response. */
    override handleResponse(...[request, response, body]: Parameters<HttpClient['handleResponse']>): unknown {
      return declaresDtd(body) ? body : super.handleResponse(request, response, body);
    }

    /** Sends to the call's site (the client's own endpoint is a placeholder) and refuses a response with a DTD. */
    override request(...[url, data, callback, headers, options, caller]: Parameters<HttpClient['request']>): ReturnType<HttpClient['request']> {
      const { siteEndpoint, ...requestOptions } = (options ?? {}) as Partial<SiteCallOptions>;
      const refusingDtd: typeof callback = (error, response, body) =>
        callback(error ?? (declaresDtd(body) ? new DtdInResponse('the response carries a Document Type Declaration (refused)') : null), response, body);
      return super.request(siteEndpoint ?? url, data, refusingDtd, headers, requestOptions, caller);
    }
  }
  return new SiteHttpClient();
}

/**
 * One node-soap client per service for every site, built once: parsing a WSDL per call would not survive polling a
 * thousand sites, and a client per site cost 15 KB each (its methods, its axios instance) for every site a poller
 * walks. `dateTime` stays a string so the token's `Expires` can be echoed byte for byte.
 */
const clients = new Map<TimeLogService, Promise<Client>>();

export function soapClient(service: TimeLogService): Promise<Client> {
  let client = clients.get(service);
  if (!client) {
    // node-soap (with axios, xml-crypto and lodash: about 8 MB of heap) is loaded by the first TimeLog call, so a
    // service that never makes one (the ingestor) does not carry it.
    client = import('soap')
      .then((soap) =>
        soap.createClientAsync(join(WSDL_DIR, TIMELOG_SERVICES[service].wsdl), {
          customDeserializer: { dateTime: (text: string) => text, date: (text: string) => text },
          disableCache: false,
          httpClient: siteHttpClient(soap.HttpClient),
        }),
      )
      .then(readingResponsesFast);
    client.catch(() => clients.delete(service));
    clients.set(service, client);
  }
  return client;
}

/**
 * node-soap builds and sends every request and handles its faults; the response body it has received is read by
 * {@link readSoapResponse} (the same object, three to five times faster). Its streaming reading, unused here, stays.
 */
function readingResponsesFast(client: Client): Client {
  const { wsdl } = client;
  const ownReading = wsdl.xmlToObject.bind(wsdl);
  wsdl.xmlToObject = (xml: unknown, callback?: unknown) => (typeof xml === 'string' && callback === undefined ? readSoapResponse(xml) : ownReading(xml, callback));
  return client;
}

/** The address of `service` on the site at `baseUrl`, for {@link SiteCallOptions}. */
export const serviceEndpoint = (service: TimeLogService, baseUrl: string) => `${baseUrl}/${TIMELOG_SERVICES[service].path}`;

/**
 * node-soap keeps a client's last request and response (bodies and headers) on the client: a backfill's response
 * can be megabytes, kept until the next call (with a client per site it was every site's last page, 40 MB of the
 * poller's 128 MB heap when it walked ten thousand companies, and its crash). We read neither, so they are dropped
 * after each call (a concurrent call loses nothing: node-soap parses the body it was handed, not these).
 */
export function forgetLastExchange(client: Client): void {
  client.lastRequest = undefined;
  client.lastMessage = undefined;
  client.lastEndpoint = undefined;
  client.lastRequestHeaders = undefined;
  client.lastResponse = undefined;
  client.lastResponseHeaders = undefined;
}
