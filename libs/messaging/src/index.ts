export * from './kafka';
export * from './outbox-relay';
export * from './event-context';
export * from './dead-letters';
export * from './kafka-event-server';
export * from './pass-through-rpc-filter';
export * from './kafka-namespace';
export * from './parking-lot';
