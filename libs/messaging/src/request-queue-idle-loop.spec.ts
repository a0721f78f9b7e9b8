import { createRequire } from 'node:module';
import { stopIdleRequestQueueLoop } from './request-queue-idle-loop';

type Queue = { pending: unknown[]; throttleCheckTimeoutId?: NodeJS.Timeout | null; scheduleCheckPendingRequests(): void };
const RequestQueue = createRequire(require.resolve('kafkajs'))('./src/network/requestQueue') as new (options: object) => Queue;
const quietLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const queue = () => new RequestQueue({ maxInFlightRequests: 1, requestTimeout: 1000, enforceRequestTimeout: true, clientId: 'spec', broker: 'b:1', logger: quietLogger });

describe("kafkajs request queue without its idle timer loop", () => {
  beforeAll(() => stopIdleRequestQueueLoop());

  it('arms no timer while nothing is pending (kafkajs re-armed a 1 ms timer for ever)', () => {
    const idle = queue();
    idle.scheduleCheckPendingRequests();
    expect(idle.throttleCheckTimeoutId ?? null).toBeNull();
  });

  it('still schedules a check for a queued request', () => {
    const busy = queue();
    busy.pending.push({});
    busy.scheduleCheckPendingRequests();
    expect(busy.throttleCheckTimeoutId).toBeTruthy();
    clearTimeout(busy.throttleCheckTimeoutId as NodeJS.Timeout);
  });

  it('is applied once however many clients are made', () => {
    const once = (RequestQueue.prototype as Queue).scheduleCheckPendingRequests;
    stopIdleRequestQueueLoop();
    expect((RequestQueue.prototype as Queue).scheduleCheckPendingRequests).toBe(once);
  });
});
