import { calendarDate } from './activation-request';

describe('calendarDate', () => {
  it.each(['2024-02-29', '1970-01-01', '2026-11-30'])('takes the calendar day %s', (value) => {
    expect(calendarDate.parse(value)).toBe(value);
  });

  it.each(['2023-02-29', '2024-02-30', '2024-13-01', '2024-00-10', '0000-01-01', '1969-12-31', '1.1.2020', '2024-1-5', ''])('refuses %j with one reason', (value) => {
    const result = calendarDate.safeParse(value);
    expect(result.success).toBe(false);
    expect(result.error?.issues).toHaveLength(1);
  });
});
