import { parseXml, XmlElement } from '../src/xml/xml-element';

/** Hand-written SOAP for tests that must not depend on node-soap (or on the client) to judge the simulator. */
export const NS = {
  s: 'http://schemas.xmlsoap.org/soap/envelope/',
  i: 'http://www.w3.org/2001/XMLSchema-instance',
  v1_1: 'http://www.timelog.com/api/tlp/v1_1',
  v1_2: 'http://www.timelog.com/api/tlp/v1_2',
  v1_3: 'http://www.timelog.com/api/tlp/v1_3',
  v1_7: 'http://www.timelog.com/api/tlp/v1_7',
  v1_8: 'http://www.timelog.com/api/tlp/v1_8',
  v1_9: 'http://www.timelog.com/api/tlp/v1_9',
  api: 'http://api.timelog.com',
  arrays: 'http://schemas.microsoft.com/2003/10/Serialization/Arrays',
  reporting: 'http://www.timelog.com/ws/tlp/v4_4',
  reportingDoc: 'http://www.timelog.com/XML/Schema/tlp/v4_4',
};

export const PATHS = {
  security: 'WebServices/Security/V1_2/SecurityServiceSecure.svc',
  pm: 'WebServices/ProjectManagement/V1_8/ProjectManagementServiceSecure.svc',
  org: 'WebServices/Organisation/V1_9/OrganisationServiceSecure.svc',
  reporting: 'service.asmx',
};

export interface SoapAnswer {
  status: number;
  contentType: string;
  text: string;
  root: XmlElement;
}

export async function postSoap(url: string, soapAction: string, body: string): Promise<SoapAnswer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'text/xml; charset=utf-8', SOAPAction: `"${soapAction}"` },
    body: `<s:Envelope xmlns:s="${NS.s}"><s:Body>${body}</s:Body></s:Envelope>`,
  });
  const text = await response.text();
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', text, root: parseXml(text) };
}

/** Child elements as `{ns}name`, in document order — what member-order assertions compare. */
export function childNames(element: XmlElement): string[] {
  return element.children.map((child) => `{${child.ns}}${child.name}`);
}

export function child(element: XmlElement, ns: string, name: string): XmlElement {
  const found = element.children.find((candidate) => candidate.ns === ns && candidate.name === name);
  if (!found) throw new Error(`no {${ns}}${name} under ${element.name}: ${childNames(element).join(', ')}`);
  return found;
}

export function path(element: XmlElement, ...steps: [string, string][]): XmlElement {
  return steps.reduce((current, [ns, name]) => child(current, ns, name), element);
}

/** `<Op>Response/<Op>Result` of a reply. */
export function result(answer: SoapAnswer, ns: string, op: string): XmlElement {
  return path(answer.root, [NS.s, 'Body'], [ns, `${op}Response`], [ns, `${op}Result`]);
}

export function faultCode(answer: SoapAnswer): string {
  const fault = path(answer.root, [NS.s, 'Body'], [NS.s, 'Fault']);
  return child(fault, '', 'faultcode').text;
}

export function requestToken(siteUrl: string, user: string, password: string): Promise<SoapAnswer> {
  return postSoap(`${siteUrl}/${PATHS.security}`, 'GetTokenRequest', `<GetToken xmlns="${NS.v1_2}"><user>${user}</user><password>${password}</password></GetToken>`);
}

/** The token triple of a successful GetToken, ready for {@link tokenXml}. */
export async function issuedToken(siteUrl: string, user: string, password: string) {
  const securityToken = path(result(await requestToken(siteUrl, user, password), NS.v1_2, 'GetToken'), [NS.v1_1, 'Return'], [NS.v1_2, 'SecurityToken']);
  const text = (name: string) => child(securityToken, NS.v1_2, name).text;
  return { initials: text('Initials'), expires: text('Expires'), hash: text('Hash') };
}

export const tokenXml = (ns: string, token: { initials: string; expires: string; hash: string }) =>
  `<token xmlns="${NS.v1_8}"><t:Initials xmlns:t="${ns}">${token.initials}</t:Initials><t:Expires xmlns:t="${ns}">${token.expires}</t:Expires><t:Hash xmlns:t="${ns}">${token.hash}</t:Hash></token>`;

export async function putJson(url: string, body: unknown, method = 'PUT'): Promise<Response> {
  return fetch(url, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}
