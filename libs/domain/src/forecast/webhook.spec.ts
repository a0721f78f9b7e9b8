import { parseForecastId } from './forecast-id';
import { parseForecastWebhook } from './webhook';

describe('parseForecastWebhook', () => {
  it('reads an update notification with fields_changed', () => {
    const notification = parseForecastWebhook({
      timestamp: '2021-09-23T07:30:00Z',
      event: 'task_updated',
      object: { id: 12 },
      person: { id: 3 },
      fields_changed: ['description'],
    });
    expect(notification).toEqual({
      ok: true,
      notification: {
      occurredAt: new Date('2021-09-23T07:30:00Z'),
      event: 'task_updated',
      objectId: 12,
      personId: 3,
      fieldsChanged: ['description'],
      },
    });
  });

  it('reads the legacy unix-millis timestamp and a missing person', () => {
    const notification = parseForecastWebhook({ timestamp: '1631884576921', event: 'task_created', object: { id: '7' } });
    expect(notification).toMatchObject({ ok: true, notification: { occurredAt: new Date(1631884576921), objectId: 7, personId: null, fieldsChanged: [] } });
  });

  it.each([
    [null, 'body must be a JSON object'],
    ['text', 'body must be a JSON object'],
    [[1], 'body must be a JSON object'],
    [{ event: 'task_updated', object: { id: 1 } }, 'timestamp'],
    [{ timestamp: '2021-09-23T07:30:00Z', object: { id: 1 } }, 'event must be a string'],
    [{ timestamp: '2021-09-23T07:30:00Z', event: 'x', object: {} }, 'object.id must be a positive integer'],
    [{ timestamp: '2021-09-23T07:30:00Z', event: 'x', object: { id: 0 } }, 'object.id must be a positive integer'],
    [{ timestamp: '2021-09-23T07:30:00Z', event: 'x', object: { id: -4 } }, 'object.id must be a positive integer'],
    [{ timestamp: '2021-09-23T07:30:00Z', event: 'x', object: { id: '123456789012345678901' } }, 'object.id must be a positive integer'],
    [{ timestamp: '2021-09-23T07:30:00Z', event: 'x', object: { id: 2 ** 53 } }, 'object.id must be a positive integer'],
  ])('refuses %p, naming what is wrong', (body, reason) => {
    const parsed = parseForecastWebhook(body);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.reason).toContain(reason);
  });
});

it('parses ids sent as numbers, numeric strings and "T"-prefixed strings', () => {
  expect([parseForecastId(5), parseForecastId('12'), parseForecastId('T1'), parseForecastId(1.5), parseForecastId('x')]).toEqual([5, 12, 1, null, null]);
});
