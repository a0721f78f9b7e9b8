import { Wakeup } from './wakeup';

describe('Wakeup', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('ends a sleep at its timeout', async () => {
    const wakeup = new Wakeup();
    let woke = false;
    const sleeping = wakeup.sleep(1000).then(() => (woke = true));
    await jest.advanceTimersByTimeAsync(999);
    expect(woke).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    await sleeping;
    expect(woke).toBe(true);
  });

  it('ends a sleep early on a nudge, and remembers a nudge that came while awake', async () => {
    const wakeup = new Wakeup();
    const sleeping = wakeup.sleep();
    wakeup.nudge();
    await sleeping;
    wakeup.nudge();
    let woke = false;
    await wakeup.sleep(60_000).then(() => (woke = true));
    expect(woke).toBe(true);
    let secondWoke = false;
    void wakeup.sleep(60_000).then(() => (secondWoke = true));
    await jest.advanceTimersByTimeAsync(10);
    expect(secondWoke).toBe(false);
  });
});
