import { NS } from '../contract/namespaces';
import { OperationContract, ServiceContract } from '../contract/services';
import { escapeXml, PrefixRegistry } from '../xml/xml-writer';
import { encodeValue } from './contract-codec';

/** `<Op>Response/<Op>Result` in the service namespace, like WCF and ASMX write it. */
export function responseEnvelope(service: ServiceContract, op: OperationContract, result: unknown): string {
  const prefixes = new PrefixRegistry(service.ns);
  const body = encodeValue(prefixes, `${op.name}Result`, service.ns, op.result, result);
  return (
    `<s:Envelope xmlns:s="${NS.soapEnvelope}"><s:Body>` +
    `<${op.name}Response${prefixes.declarations()} xmlns:i="${NS.xsi}">${body}</${op.name}Response>` +
    `</s:Body></s:Envelope>`
  );
}

const WCF_DISPATCHER = 'http://schemas.microsoft.com/net/2005/12/windowscommunicationfoundation/dispatcher';

export type FaultCode = 'DeserializationFailed' | 'ActionNotSupported' | 'InternalServiceFault' | 'Client' | 'Server';

/** A SOAP 1.1 fault (always HTTP 500); WCF dispatcher codes use their namespace, the others are `s:` codes. */
export function faultEnvelope(code: FaultCode, message: string): string {
  const wcf = code === 'DeserializationFailed' || code === 'ActionNotSupported' || code === 'InternalServiceFault';
  const faultCode = wcf ? `<faultcode xmlns:a="${WCF_DISPATCHER}">a:${code}</faultcode>` : `<faultcode>s:${code}</faultcode>`;
  return (
    `<s:Envelope xmlns:s="${NS.soapEnvelope}"><s:Body><s:Fault>${faultCode}` +
    `<faultstring xml:lang="en-US">${escapeXml(message)}</faultstring></s:Fault></s:Body></s:Envelope>`
  );
}
