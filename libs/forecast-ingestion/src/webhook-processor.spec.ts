import { listWindowStart } from './webhook-processor';

const at = (second: number) => new Date(Date.UTC(2026, 10, 30, 12, 0, second));

describe("a burst's list window", () => {
  it('starts at the earliest change of a small burst', () => {
    expect(listWindowStart([at(5), at(3), at(4)])).toEqual(at(3));
  });

  it('leaves a late retried delivery out, so the pages read hold the burst and not everything changed since', () => {
    const burst = [...Array.from({ length: 19 }, (_, i) => at(40 + (i % 5))), at(0)];
    expect(listWindowStart(burst)).toEqual(at(40));
  });

  it('keeps the earliest nine tenths of changes in the window whatever their order', () => {
    const changes = Array.from({ length: 100 }, (_, i) => at(i % 60));
    const start = listWindowStart(changes.reverse());
    expect(changes.filter((changedAt) => changedAt >= start).length).toBeGreaterThanOrEqual(90);
  });
});
