import { BackgroundLoop, Rest } from './background-loop';

describe('BackgroundLoop', () => {
  /** A loop whose rounds answer the given rests in turn (the last one repeated), counting its rounds. */
  function loopOf(rests: Rest[], failFirst = false) {
    const seen = { rounds: 0, errors: [] as unknown[] };
    const loop = new BackgroundLoop({
      round: async () => {
        seen.rounds++;
        if (failFirst && seen.rounds === 1) throw new Error('first round failed');
        return rests[Math.min(seen.rounds - 1, rests.length - 1)];
      },
      onError: (error) => {
        seen.errors.push(error);
        return 'until-nudged';
      },
    });
    return { loop, seen };
  }
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  it('goes on at once after a round that rests 0, and waits for a nudge after one that rests until nudged', async () => {
    const { loop, seen } = loopOf([0, 0, 'until-nudged']);
    loop.start();
    await settle();
    expect(seen.rounds).toBe(3);
    loop.nudge();
    await settle();
    expect(seen.rounds).toBe(4);
    await loop.stop();
    expect(seen.rounds).toBe(4);
  });

  it('rests for the time a round asks, and a nudge ends the rest early', async () => {
    jest.useFakeTimers();
    try {
      const { loop, seen } = loopOf([60_000]);
      loop.start();
      await jest.advanceTimersByTimeAsync(0);
      expect(seen.rounds).toBe(1);
      await jest.advanceTimersByTimeAsync(60_000);
      expect(seen.rounds).toBe(2);
      loop.nudge();
      await jest.advanceTimersByTimeAsync(0);
      expect(seen.rounds).toBe(3);
      await loop.stop();
    } finally {
      jest.useRealTimers();
    }
  });

  it('keeps going after a failed round, resting as the error handler says', async () => {
    const { loop, seen } = loopOf(['until-nudged'], true);
    loop.start();
    await settle();
    expect([seen.rounds, String(seen.errors[0])]).toEqual([1, 'Error: first round failed']);
    loop.nudge();
    await settle();
    expect(seen.rounds).toBe(2);
    await loop.stop();
  });

  it('tells a long round that the loop is stopping, and stop waits for that round', async () => {
    let release!: () => void;
    const observed: boolean[] = [];
    const loop = new BackgroundLoop({
      round: async (isRunning) => {
        observed.push(isRunning());
        await new Promise<void>((resolve) => (release = resolve));
        observed.push(isRunning());
        return 0;
      },
      onError: () => 0,
    });
    loop.start();
    let stopped = false;
    const stopping = loop.stop().then(() => (stopped = true));
    await settle();
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(observed).toEqual([true, false]);
  });
});
