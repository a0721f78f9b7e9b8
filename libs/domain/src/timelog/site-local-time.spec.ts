import { siteLocalInstant } from './site-local-time';

describe('siteLocalInstant', () => {
  it("converts a site-local ActionDate with the site's offset, east and west of UTC", () => {
    expect(siteLocalInstant('2026-03-10T10:15:00', 60)).toBe('2026-03-10T09:15:00.000Z');
    expect(siteLocalInstant('2026-03-10T10:15:00.1234567', -300)).toBe('2026-03-10T15:15:00.123Z');
    expect(siteLocalInstant('2026-03-10T00:30:00', 120)).toBe('2026-03-09T22:30:00.000Z');
  });

  it('has no instant for a bare day', () => {
    expect(siteLocalInstant('2026-03-10', 60)).toBeNull();
  });
});
