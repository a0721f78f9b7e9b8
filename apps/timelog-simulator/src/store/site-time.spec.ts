import { formatDuration, parseDuration, tokenExpires, weekStart } from './site-time';

describe('site time', () => {
  it('writes Expires in site-local time with offset and seven fractional digits', () => {
    expect(tokenExpires(new Date('2026-03-10T22:00:00.123Z'), 60)).toMatch(/^2026-03-10T23:00:00\.123\d{4}\+01:00$/);
    expect(tokenExpires(new Date('2026-03-10T22:00:00.000Z'), -330)).toMatch(/^2026-03-10T16:30:00\.000\d{4}-05:30$/);
  });

  it.each([
    [0, 'PT0S'],
    [61, 'PT1H1M'],
    [1440, 'P1D'],
    [1501, 'P1DT1H1M'],
  ])('formats %i minutes as %s and parses it back', (minutes, text) => {
    expect(formatDuration(minutes)).toBe(text);
    expect(parseDuration(text)).toBe(minutes);
  });

  it('refuses durations that are not day-time durations', () => {
    expect(parseDuration('P1M')).toBeUndefined();
    expect(parseDuration('PT')).toBeUndefined();
    expect(parseDuration('90')).toBeUndefined();
  });

  it('closes weeks from Monday', () => {
    expect(weekStart('2026-03-10')).toBe('2026-03-09');
    expect(weekStart('2026-03-15')).toBe('2026-03-09');
    expect(weekStart('2026-03-16')).toBe('2026-03-16');
  });
});
