import { DeadLetter } from './dead-letter.entity';
import { OutboxMessage } from './outbox-message.entity';
import { ProcessedEvent } from './processed-event.entity';

export { DeadLetter, OutboxMessage, ProcessedEvent };

export const ALL_ENTITIES = [OutboxMessage, ProcessedEvent, DeadLetter];
