import { createRequire } from 'node:module';

interface RequestQueuePrototype {
  scheduleCheckPendingRequests(this: { pending: unknown[] }): void;
}

const patched = Symbol.for('timelog-sync.kafkajs.requestQueueIdleLoop');

/**
 * kafkajs 2.2.4 re-arms a timer in every broker connection's request queue even when nothing is queued: with no
 * throttle its delay is negative, so each connection runs a 1 ms `setTimeout` loop for as long as it is open
 * (kafkajs issues #1556 and #1704, fix proposed in PR #1667, unreleased). Measured here: 55-95 ms of CPU per second
 * per service with nothing to do, a quarter of a core for the four services. A queue with nothing pending needs no
 * check: `push` schedules one when it queues a request, and every response or timeout checks the queue again.
 */
export function stopIdleRequestQueueLoop(): void {
  const requestQueue = createRequire(require.resolve('kafkajs'))('./src/network/requestQueue') as { prototype: RequestQueuePrototype & { [patched]?: true } };
  const { prototype } = requestQueue;
  if (prototype[patched]) return;
  const schedule = prototype.scheduleCheckPendingRequests;
  prototype.scheduleCheckPendingRequests = function scheduleWhenPending(this: { pending: unknown[] }) {
    if (this.pending.length > 0) schedule.call(this);
  };
  prototype[patched] = true;
}
