import { OperationContract, ServiceContract } from '../contract/services';
import { Site } from '../store/site';
import { Employee } from '../store/site-model';

export interface OperationContext {
  site: Site;
  service: ServiceContract;
  op: OperationContract;
  args: Record<string, unknown>;
  now: Date;
  /** The token's user; set for every operation that takes a token. */
  caller?: Employee;
  startedAt: number;
}

export function callerOf(context: OperationContext): Employee {
  if (!context.caller) throw new Error(`${context.op.name} needs a verified token`);
  return context.caller;
}

export type OperationHandler = (context: OperationContext) => unknown;
