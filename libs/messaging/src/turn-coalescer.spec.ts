import { TurnCoalescer } from './turn-coalescer';

describe('TurnCoalescer', () => {
  const recording = (maxSize: number, fail?: (items: string[]) => boolean) => {
    const groups: string[][] = [];
    const coalescer = new TurnCoalescer<string>(maxSize, (item) => item.length, async (items) => {
      groups.push(items);
      if (fail?.(items)) throw new Error(`refused ${items.join(',')}`);
    });
    return { groups, coalescer };
  };

  it('runs the submissions of one turn as one group, in submission order, and later ones as the next', async () => {
    const { groups, coalescer } = recording(100);
    await Promise.all([coalescer.submit('a1'), coalescer.submit('b1'), coalescer.submit('c1')]);
    await coalescer.submit('a2');
    expect(groups).toEqual([['a1', 'b1', 'c1'], ['a2']]);
  });

  it('starts a new group when a submission would overflow the size, never splitting a submission', async () => {
    const { groups, coalescer } = recording(5);
    await Promise.all([coalescer.submit('aa'), coalescer.submit('bbb'), coalescer.submit('cc'), coalescer.submit('dddddd')]);
    expect(groups).toEqual([['aa', 'bbb'], ['cc'], ['dddddd']]);
  });

  it("settles each submitter with its own group's outcome", async () => {
    const { groups, coalescer } = recording(5, (items) => items.includes('bad'));
    const outcomes = await Promise.allSettled([coalescer.submit('ok'), coalescer.submit('bad'), coalescer.submit('x')]);
    expect(groups).toEqual([['ok', 'bad'], ['x']]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
  });
});
