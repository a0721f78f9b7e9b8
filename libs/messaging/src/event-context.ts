import { EntityManager } from 'typeorm';
import { EventHeaders } from '@timelog-sync/contracts';

/** What a handler gets beside the validated payload: where the message came from and the transaction to write in. */
export class EventContext {
  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly offset: string,
    readonly key: string | null,
    readonly headers: EventHeaders,
    /** The transaction that also records the event in the inbox: write everything through it. */
    readonly manager: EntityManager,
    readonly attempt: number,
  ) {}

  get companyId(): string {
    return this.headers.tenantId;
  }
}
