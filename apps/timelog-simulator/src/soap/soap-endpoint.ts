import { setTimeout as delay } from 'node:timers/promises';
import { NS } from '../contract/namespaces';
import { OperationContract, SERVICES, ServiceContract, soapAction } from '../contract/services';
import { renderWsdl } from '../contract/wsdl-writer';
import { allocationOperations } from '../operations/allocations.operations';
import { organisationOperations } from '../operations/organisation.operations';
import { projectOperations } from '../operations/projects.operations';
import { reportingOperations } from '../operations/reporting.operations';
import { securityOperations } from '../operations/security.operations';
import { taskOperations } from '../operations/tasks.operations';
import { workOperations } from '../operations/work.operations';
import { Clock } from '../store/clock';
import { SimulatorStore } from '../store/simulator-store';
import { Site } from '../store/site';
import { childNamed, parseXml, XmlElement, XmlSyntaxError } from '../xml/xml-element';
import { apiFailure } from './api-response';
import { decodeMembers, DeserializationFault } from './contract-codec';
import { OperationHandler } from './operation-context';
import { SiteChaos } from './site-chaos';
import { faultEnvelope, responseEnvelope } from './soap-envelope';

export interface SoapCall {
  account: string;
  /** Path after `/<account>/`. */
  path: string;
  soapAction: string | undefined;
  body: string;
}

export interface SoapReply {
  status: number;
  body: string;
}

const HANDLERS: Record<ServiceContract['id'], Record<string, OperationHandler>> = {
  security: securityOperations,
  organisation: organisationOperations,
  projectManagement: { ...projectOperations, ...taskOperations, ...allocationOperations, ...workOperations },
  reporting: reportingOperations,
};

const WRITES = new Set([
  'GetToken', 'CreateTask', 'CreateSubTask', 'UpdateTask', 'ChangeTaskStatus', 'AddEmployeeToTask', 'SetAllocationStatus', 'InsertWork', 'UpdateWork', 'DeleteWork',
]);

const fault = (status: number, code: Parameters<typeof faultEnvelope>[0], message: string): SoapReply => ({
  status,
  body: faultEnvelope(code, message),
});

/** SOAP 1.1 dispatch for all four services of a site: parse, check SOAPAction and contract, run, serialise. */
export class SoapEndpoint {
  private readonly wsdlCache = new Map<string, string>();

  constructor(
    private readonly store: SimulatorStore,
    private readonly chaos: SiteChaos,
    private readonly clock: Clock,
    private readonly strict: boolean,
  ) {}

  service(path: string): ServiceContract | undefined {
    const wanted = path.toLowerCase();
    return SERVICES.find((service) => service.path.toLowerCase() === wanted);
  }

  wsdl(service: ServiceContract, address: string): string {
    const key = `${service.id} ${address}`;
    let text = this.wsdlCache.get(key);
    if (!text) {
      text = renderWsdl(service, address);
      this.wsdlCache.set(key, text);
    }
    return text;
  }

  async handle(call: SoapCall): Promise<SoapReply | undefined> {
    const site = this.store.site(call.account);
    const service = this.service(call.path);
    if (!site || !service) return undefined;
    const startedAt = Date.now();

    let envelopeBody: XmlElement;
    try {
      envelopeBody = this.bodyOf(call.body);
    } catch (error) {
      return fault(500, 'Client', (error as Error).message);
    }
    const action = call.soapAction?.trim().replace(/^"(.*)"$/, '$1') ?? '';
    const op = service.operations.find((candidate) => soapAction(service, candidate) === action);
    const payload = envelopeBody.children[0];
    if (!op) {
      return fault(500, 'ActionNotSupported', `The message with Action '${action}' cannot be processed at the receiver (ContractFilter mismatch).`);
    }

    this.chaos.count(call.account, op.name);
    const chaos = this.chaos.draw(call.account, op.name);
    if (chaos.latencyMs > 0) await delay(chaos.latencyMs);
    if (chaos.fail === 'http-500') return { status: 500, body: 'Internal Server Error (injected)' };
    if (chaos.fail === 'http-503') return { status: 503, body: 'Service Unavailable (injected)' };
    if (chaos.fail === 'soap-fault') return fault(500, 'InternalServiceFault', 'The server was unable to process the request due to an internal error (injected).');

    try {
      const args = this.decodeArguments(service, op, payload);
      if (service.id === 'reporting' && !this.reportingCredentialsValid(site, args)) {
        return fault(401, 'Client', 'Invalid credentials: site code, API ID or API password is wrong.');
      }
      const reply = this.run(site, service, op, args, startedAt);
      if (WRITES.has(op.name)) this.store.changed();
      return { status: 200, body: responseEnvelope(service, op, reply) };
    } catch (error) {
      if (error instanceof DeserializationFault) {
        return fault(500, service.flavour === 'asmx' ? 'Client' : 'DeserializationFailed', `The formatter threw an exception while trying to deserialize the message: ${error.message}`);
      }
      throw error;
    }
  }

  private bodyOf(text: string): XmlElement {
    let envelope: XmlElement;
    try {
      envelope = parseXml(text);
    } catch (error) {
      throw new Error(`Malformed XML: ${(error as XmlSyntaxError).message}`);
    }
    if (envelope.ns !== NS.soapEnvelope || envelope.name !== 'Envelope') throw new Error('Not a SOAP 1.1 envelope');
    const body = childNamed(envelope, NS.soapEnvelope, 'Body');
    if (!body || body.children.length !== 1) throw new Error('The SOAP body must hold exactly one element');
    return body;
  }

  private decodeArguments(service: ServiceContract, op: OperationContract, payload: XmlElement): Record<string, unknown> {
    const matchesBody = payload.name === op.name && (payload.ns === service.ns || !this.strict);
    if (!matchesBody) {
      throw new DeserializationFault(`Expecting element '${op.name}' from namespace '${service.ns}', found '${payload.name}' from '${payload.ns}'`);
    }
    return decodeMembers(payload, op.params.map((member) => ({ member, ns: service.ns })), this.strict);
  }

  private reportingCredentialsValid(site: Site, args: Record<string, unknown>): boolean {
    const { siteCode, apiID, apiPassword } = site.settings.reporting;
    const configured = apiID !== '0' && apiPassword !== '0';
    return configured && args.siteCode === siteCode && args.apiID === apiID && args.apiPassword === apiPassword;
  }

  private run(site: Site, service: ServiceContract, op: OperationContract, args: Record<string, unknown>, startedAt: number): unknown {
    const now = this.clock.now();
    const handler = HANDLERS[service.id][op.name];
    const needsToken = op.params.some((param) => param.name === 'token');
    if (!needsToken) return handler({ site, service, op, args, now, startedAt });
    const verified = site.verifyToken(args.token as Record<string, unknown> | null, now);
    if (!verified.ok) return apiFailure({ service, op, args, startedAt }, typeDescriptionOf(op), verified.violation);
    return handler({ site, service, op, args, now, startedAt, caller: verified.value });
  }
}

function typeDescriptionOf(op: OperationContract): string {
  if (op.result.kind !== 'complex') return op.name;
  const batch = /^BatchResponseOf(.+)$/.exec(op.result.name);
  return batch ? `BatchContainer<${batch[1]}>` : op.result.name.replace(/^ResponseOf/, '');
}
