import { formatDateAfter, formatUpdatedAfter, parseForecastTimestamp } from './forecast-time';

describe('parseForecastTimestamp', () => {
  it.each([
    ['2017-01-14T18:47:58Z', '2017-01-14T18:47:58.000Z'],
    ['2021-10-26T10:57:20+02:00', '2021-10-26T08:57:20.000Z'],
    ['2022-2-06T10:14:20+01:00', '2022-02-06T09:14:20.000Z'],
    ['2021-10-26T10:57:20.123-0130', '2021-10-26T12:27:20.123Z'],
    ['1631884576921', '2021-09-17T13:16:16.921Z'],
  ])('reads %s', (raw, iso) => {
    expect(parseForecastTimestamp(raw)?.toISOString()).toBe(iso);
  });

  it.each([null, '', 'yesterday', '2022-13-45T99:00:00Z', {}])('returns null for %p', (raw) => {
    expect(parseForecastTimestamp(raw)).toBeNull();
  });
});

describe('formatUpdatedAfter', () => {
  it('formats in UTC and subtracts the overlap', () => {
    expect(formatUpdatedAfter(new Date('2018-02-16T21:00:47+01:00'), 0)).toBe('20180216T200047');
    expect(formatUpdatedAfter(new Date('2018-02-16T00:00:30Z'), 60_000)).toBe('20180215T235930');
  });

  it('rejects a negative overlap', () => {
    expect(() => formatUpdatedAfter(new Date(), -1)).toThrow(RangeError);
  });
});

it('formats date_after as YYYYMMDD', () => {
  expect(formatDateAfter('2020-02-16')).toBe('20200216');
  expect(() => formatDateAfter('16-02-2020')).toThrow(RangeError);
});
