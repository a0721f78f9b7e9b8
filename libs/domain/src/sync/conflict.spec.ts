import { isAlreadySynced, isSuperseded, judgeChange } from './conflict';

const snapshot = { date: '2026-11-24', minutes: 60, note: 'Plan' };

describe('judgeChange', () => {
  it('applies when the other side still equals the last synced snapshot', () => {
    expect(judgeChange({ side: 'timelog', content: { ...snapshot, minutes: 90 }, modifiedAt: '2026-11-24T12:00:00Z' }, { side: 'forecast', content: snapshot, modifiedAt: '2026-11-24T09:00:00Z' }, snapshot)).toEqual({ kind: 'apply' });
  });

  it('sees equal content on both sides as nothing to do', () => {
    expect(judgeChange({ side: 'timelog', content: { ...snapshot, minutes: 90 }, modifiedAt: null }, { side: 'forecast', content: { ...snapshot, minutes: 90 }, modifiedAt: null }, snapshot)).toEqual({ kind: 'already-equal' });
  });

  it('lets the later modification win when both sides changed, keeping the loser', () => {
    const forecast = { side: 'forecast' as const, content: { ...snapshot, note: 'Forecast edit' }, modifiedAt: '2026-11-24T13:00:00Z' };
    const timelog = { side: 'timelog' as const, content: { ...snapshot, minutes: 45 }, modifiedAt: '2026-11-24T12:00:00Z' };
    expect(judgeChange(timelog, forecast, snapshot)).toEqual({ kind: 'conflict', winner: 'forecast', loser: timelog, winnerVersion: forecast });
    expect(judgeChange(forecast, timelog, snapshot)).toEqual({ kind: 'conflict', winner: 'forecast', loser: timelog, winnerVersion: forecast });
  });

  it('takes a side without a modification time as the earlier one', () => {
    const forecast = { side: 'forecast' as const, content: { ...snapshot, note: 'F' }, modifiedAt: '2026-11-24T13:00:00Z' };
    const timelog = { side: 'timelog' as const, content: { ...snapshot, minutes: 45 }, modifiedAt: null };
    expect(judgeChange(forecast, timelog, snapshot)).toMatchObject({ kind: 'conflict', winner: 'forecast' });
  });
});

describe('isSuperseded', () => {
  it('recognises a change older than what the pair reflects, and nothing when either time is unknown', () => {
    expect(isSuperseded('2026-11-24T10:00:00.000Z', new Date('2026-11-24T10:00:01.000Z'))).toBe(true);
    expect(isSuperseded('2026-11-24T10:00:01.000Z', '2026-11-24T10:00:01.000Z')).toBe(false);
    expect(isSuperseded('2026-11-24T10:00:02.000Z', '2026-11-24T10:00:01.000Z')).toBe(false);
    expect(isSuperseded(null, '2026-11-24T10:00:01.000Z')).toBe(false);
    expect(isSuperseded('2026-11-24T10:00:00.000Z', null)).toBe(false);
  });
});

describe('isAlreadySynced', () => {
  const synced = { at: '2026-11-24T10:00:01Z', hash: 'h1' };
  it('recognises the version the pair reflects and older ones; a newer one or an unknown time is still to sync', () => {
    expect(isAlreadySynced({ at: '2026-11-24T10:00:01Z', hash: 'h1' }, { at: new Date('2026-11-24T10:00:01Z'), hash: 'h1' })).toBe(true);
    expect(isAlreadySynced({ at: '2026-11-24T10:00:00Z', hash: 'h0' }, synced)).toBe(true);
    expect(isAlreadySynced({ at: '2026-11-24T10:00:02Z', hash: 'h1' }, synced)).toBe(false);
    expect(isAlreadySynced({ at: '2026-11-24T10:00:01Z', hash: 'h1' }, undefined)).toBe(false);
    expect(isAlreadySynced({ at: null, hash: 'h1' }, synced)).toBe(false);
  });

  it("takes a change stamped in the pair's second with other content for a person's edit after our write, not the version synced (chaos seed 156681144)", () => {
    expect(isAlreadySynced({ at: '2026-11-24T10:00:01Z', hash: 'h2' }, synced)).toBe(false);
    expect(isAlreadySynced({ at: '2026-11-24T10:00:01Z', hash: 'h2' }, { ...synced, hash: null })).toBe(false);
  });
});
