import { decimalHoursToMinutes, minutesToDecimalHours, minutesToXsDuration, xsDurationToMinutes } from './timelog-duration';

describe('TimeLog durations', () => {
  it.each([
    [0, 'PT0S'],
    [1, 'PT1M'],
    [59, 'PT59M'],
    [60, 'PT1H'],
    [61, 'PT1H1M'],
    [127, 'PT2H7M'],
    [1439, 'PT23H59M'],
    [1440, 'P1D'],
    [1501, 'P1DT1H1M'],
  ])('writes %i minutes as %s and reads it back', (minutes, text) => {
    expect(minutesToXsDuration(minutes)).toBe(text);
    expect(xsDurationToMinutes(text)).toBe(minutes);
  });

  it.each([
    ['PT25H', 1500],
    ['PT90M', 90],
    ['PT1H29M59.6S', 90],
    ['PT30S', 1],
    ['PT29S', 0],
    ['-PT15M', -15],
    [' PT2H ', 120],
  ])('reads %s as %i minutes', (text, minutes) => {
    expect(xsDurationToMinutes(text)).toBe(minutes);
  });

  it.each(['', 'P', 'PT', '1H', 'P1Y', 'P1M', 'PT1.5H'])('rejects %p', (text) => {
    expect(() => xsDurationToMinutes(text)).toThrow(RangeError);
  });

  it.each([1, 59, 61, 1439, 7, 13, 100_000])('round-trips %i minutes through decimal hours, also at four decimals', (minutes) => {
    const hours = minutesToDecimalHours(minutes);
    expect(decimalHoursToMinutes(hours)).toBe(minutes);
    expect(decimalHoursToMinutes(hours.toFixed(4))).toBe(minutes);
  });

  it('reads the Reporting API decimal format and a comma decimal separator', () => {
    expect(decimalHoursToMinutes('2.0000')).toBe(120);
    expect(decimalHoursToMinutes('0,2500')).toBe(15);
  });

  it('refuses fractional minutes and non-numbers instead of rounding silently', () => {
    expect(() => minutesToXsDuration(1.5)).toThrow(RangeError);
    expect(() => minutesToDecimalHours(0.1)).toThrow(RangeError);
    expect(() => decimalHoursToMinutes('abc')).toThrow(RangeError);
  });
});
