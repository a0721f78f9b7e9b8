import { ExternalCallError } from '../external-call-error';
import { VendorPause } from './vendor-pause';

describe('VendorPause', () => {
  let now = 0;
  const pause = () => new VendorPause('forecast', 30, () => now);
  const rateLimited = (retryAfterSeconds: number) => new ExternalCallError('forecast', 'getTask', 'retryable', 'HTTP 429', '429', retryAfterSeconds);
  const timedOut = new ExternalCallError('forecast', 'getTask', 'retryable', 'request timed out', 'TIMEOUT');
  const fails = (error: Error) => () => Promise.reject(error);
  const answers = () => Promise.resolve('ok');
  const refusal = (promise: Promise<unknown>) => promise.then(() => Promise.reject(new Error('expected a refusal')), (error: ExternalCallError) => error);

  beforeEach(() => (now = 1_000_000));

  it('honours Retry-After: calls fail at once with the seconds left, then go out again', async () => {
    const gate = pause();
    await expect(gate.run('getTask', fails(rateLimited(60)))).rejects.toMatchObject({ code: '429' });
    const calls: string[] = [];
    now += 15_000;
    const refused = await refusal(gate.run('listTasks', async () => calls.push('listTasks')));
    expect(refused).toMatchObject({ code: 'PAUSED', failureClass: 'retryable', retryAfterSeconds: 45, operation: 'listTasks' });
    expect(calls).toEqual([]);
    expect(gate.pausedUntil()).toEqual(new Date(1_060_000));
    now += 45_000;
    await expect(gate.run('listTasks', answers)).resolves.toBe('ok');
    expect(gate.pausedUntil()).toBeNull();
  });

  it('pauses after a timeout for the configured time; errors without back-pressure do not pause', async () => {
    const gate = pause();
    await expect(gate.run('getTask', fails(new ExternalCallError('forecast', 'getTask', 'permanent', 'HTTP 404', '404')))).rejects.toMatchObject({ code: '404' });
    expect(gate.pausedUntil()).toBeNull();
    await expect(gate.run('getTask', fails(timedOut))).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(gate.pausedUntil()).toEqual(new Date(now + 30_000));
  });

  it('lets one probe through when the pause ends; the others wait for its answer', async () => {
    const gate = pause();
    await expect(gate.run('getTask', fails(timedOut))).rejects.toThrow();
    now += 30_000;
    let answer!: (value: string) => void;
    const probe = gate.run('getTask', () => new Promise<string>((resolve) => (answer = resolve)));
    await expect(gate.run('getTask', answers)).rejects.toMatchObject({ code: 'PAUSED', retryAfterSeconds: 1 });
    answer('ok');
    await probe;
    await expect(gate.run('getTask', answers)).resolves.toBe('ok');
  });

  it('pauses again when the probe meets back-pressure', async () => {
    const gate = pause();
    await expect(gate.run('getTask', fails(rateLimited(5)))).rejects.toThrow();
    now += 5_000;
    await expect(gate.run('getTask', fails(timedOut))).rejects.toMatchObject({ code: 'TIMEOUT' });
    await expect(gate.run('getTask', answers)).rejects.toMatchObject({ code: 'PAUSED', retryAfterSeconds: 30 });
  });
});
