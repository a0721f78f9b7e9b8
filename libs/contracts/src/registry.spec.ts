import { decodeEventValue, encodeEventValue } from './registry';
import { TOPICS } from './topics';
import { fromWireHeaders, toWireHeaders } from './headers';

const registrationEvent = {
  companyId: 'acme',
  registrationId: 42,
  change: 'upserted',
  source: 'webhook',
  observedAt: '2026-11-25T10:00:00.000Z',
  registration: {
    id: 42, personId: 7, projectId: 3, taskId: 11, nonProjectTimeId: null,
    date: '2026-11-24', minutes: 61, billableMinutes: null, note: 'Review', updatedAt: '2026-11-24T09:00:00Z',
  },
};

describe('event contracts', () => {
  it('round-trips a valid registration event', () => {
    const wire = encodeEventValue(TOPICS.forecastTimeRegistrationChanged, registrationEvent as never);
    const decoded = decodeEventValue(TOPICS.forecastTimeRegistrationChanged, 1, wire);
    expect(decoded).toEqual({ ok: true, value: registrationEvent });
  });

  it('rejects fractional minutes and names the field', () => {
    const bad = { ...registrationEvent, registration: { ...registrationEvent.registration, minutes: 1.5 } };
    const decoded = decodeEventValue(TOPICS.forecastTimeRegistrationChanged, 1, JSON.stringify(bad));
    expect(decoded).toEqual({ ok: false, reason: expect.stringContaining('registration.minutes') });
  });

  it('rejects a deletion that still carries the object', () => {
    const bad = { ...registrationEvent, change: 'deleted' };
    const decoded = decodeEventValue(TOPICS.forecastTimeRegistrationChanged, 1, JSON.stringify(bad));
    expect(decoded.ok).toBe(false);
  });

  it('rejects non-JSON, unknown versions and tombstones on non-compacted topics', () => {
    expect(decodeEventValue(TOPICS.timelogWorkChanged, 1, 'not json')).toEqual({ ok: false, reason: 'value is not valid JSON' });
    expect(decodeEventValue(TOPICS.timelogWorkChanged, 9, '{}')).toEqual({ ok: false, reason: expect.stringContaining('schema-version 9') });
    expect(decodeEventValue(TOPICS.timelogWorkChanged, 1, null).ok).toBe(false);
    expect(decodeEventValue(TOPICS.mappingLinks, 1, null)).toEqual({ ok: true, value: null });
  });

  it('refuses to encode an invalid event', () => {
    expect(() => encodeEventValue(TOPICS.forecastTimeRegistrationChanged, { ...registrationEvent, companyId: 'bad id!' } as never)).toThrow();
  });

  it('reads headers back as written and reports a missing one', () => {
    const wire = toWireHeaders({ eventId: 'e1', tenantId: 'acme', schemaVersion: 1, traceparent: '00-abc-def-01' });
    const asKafka = Object.fromEntries(Object.entries(wire).map(([k, v]) => [k, Buffer.from(v)]));
    expect(fromWireHeaders(asKafka)).toEqual({ eventId: 'e1', tenantId: 'acme', schemaVersion: 1, traceparent: '00-abc-def-01' });
    expect(fromWireHeaders({ 'tenant-id': Buffer.from('acme') })).toBe('missing header event-id');
  });
});
