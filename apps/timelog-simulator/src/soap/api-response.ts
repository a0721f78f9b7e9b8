import { ComplexType } from '../contract/data-contract';
import { securityTokenV1_2, securityTokenV1_3 } from '../contract/data-contracts';
import { Outcome, refusesWholeBatch, RuleViolation } from '../store/rule-violation';
import { OperationContext } from './operation-context';

type CallInfo = Pick<OperationContext, 'service' | 'op' | 'args' | 'startedAt'>;
type BatchCall = CallInfo & Pick<OperationContext, 'site'>;

interface ApiMessage {
  Message: string;
  Severity: 'Error' | 'Invalid' | 'Message';
  ErrorCode: number;
}

const MASKED = '*****';

/** The `Request` echo; the password and the token hash are never shown (a real 2015 site echoed the password). */
function requestEcho({ service, op, args }: CallInfo) {
  return {
    Parameters: op.params.map((param) => ({ Name: param.name, Value: describe(param.name, param.type as ComplexType, args[param.name]) })),
    ServiceClass: service.name,
    MethodName: op.name,
  };
}

function describe(name: string, type: ComplexType, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (name === 'password') return MASKED;
  if (type === securityTokenV1_2 || type === securityTokenV1_3) {
    const token = value as Record<string, unknown>;
    return `Initials=[${token.Initials}], Expires=[${token.Expires}], Hash=[${MASKED}]`;
  }
  if (Array.isArray(value)) return `Array[${value.length}]`;
  if (typeof value === 'object') return type.name;
  return String(value);
}

function durationMessage(startedAt: number): ApiMessage {
  const seconds = ((Date.now() - startedAt) / 1000).toFixed(2).replace('.', ',');
  return { Message: `Duration of call was ${seconds} sec.`, Severity: 'Message', ErrorCode: 0 };
}

export interface Page {
  totalPageCount: number;
}

/** `ResponseOf<T>` of §4, including the informational `Severity=Message` entries a real site sends on success. */
export function apiResponse(call: CallInfo, typeDescription: string, items: unknown[], page?: Page): Record<string, unknown> {
  const success: ApiMessage = {
    Message: `Successfully called TimeLog.API, ${call.service.name} :: ${typeDescription} ${call.op.name}`,
    Severity: 'Message',
    ErrorCode: 0,
  };
  return envelope(call, typeDescription, items, 'Success', [success, durationMessage(call.startedAt)], 0, page);
}

export function apiFailure(call: CallInfo, typeDescription: string, violation: RuleViolation): Record<string, unknown> {
  return envelope(call, typeDescription, [], 'Invalid', [...failureMessages([violation]), durationMessage(call.startedAt)], violation.code);
}

/**
 * `BatchResponseOf<T>`: a container per item; the envelope is Success only when every item is. Refusals the site
 * answers for the whole batch (see `refusesWholeBatch`) come as `batchRefusal` instead.
 */
export function batchResponse(call: BatchCall, itemType: string, outcomes: Outcome<unknown>[]): Record<string, unknown> {
  const containers = outcomes.map((outcome) =>
    outcome.ok
      ? { Item: outcome.value, Status: 'Success', Message: null }
      : { Item: null, Status: 'Invalid', Message: outcome.violation.message },
  );
  const failures = outcomes.flatMap((outcome) => (outcome.ok ? [] : [outcome.violation]));
  const typeDescription = `BatchContainer<${itemType}>`;
  if (failures.length === 0) return apiResponse(call, typeDescription, containers);
  if (refusesWholeBatch(call.site.settings.refusalShape, failures)) return batchRefusal(call, itemType, failures);
  return envelope(call, typeDescription, containers, 'Invalid', [...failureMessages(failures), durationMessage(call.startedAt)], failures[0].code);
}

/** The whole batch refused as captured in 2015: envelope `Invalid`, the first refusal's code, an empty `Return`. */
export function batchRefusal(call: CallInfo, itemType: string, refusals: RuleViolation[]): Record<string, unknown> {
  return envelope(call, `BatchContainer<${itemType}>`, [], 'Invalid', [...failureMessages(refusals), durationMessage(call.startedAt)], refusals[0].code);
}

const failureMessages = (failures: RuleViolation[]): ApiMessage[] =>
  failures.map((violation) => ({ Message: violation.message, Severity: 'Invalid', ErrorCode: violation.code }));

function envelope(
  call: CallInfo,
  typeDescription: string,
  items: unknown[],
  state: 'Success' | 'Invalid',
  messages: ApiMessage[],
  errorCode: number,
  page?: Page,
): Record<string, unknown> {
  return {
    Return: items,
    ReturnTypeDescription: typeDescription,
    Request: requestEcho(call),
    ResponseState: state,
    Messages: messages,
    ErrorCode: errorCode,
    IsReturnPaged: page !== undefined,
    TotalPageCount: page?.totalPageCount ?? 1,
  };
}
