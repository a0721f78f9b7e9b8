import { isSensitiveKey, redactSensitiveKeys } from './sensitive-keys';

describe('isSensitiveKey', () => {
  it.each(['password', 'apiKey', 'api_key', 'X-FORECAST-API-KEY', 'token', 'webhookToken', 'Hash', 'reportingPassword', 'apiPassword', 'authorization'])(
    'treats %s as sensitive',
    (key) => expect(isSensitiveKey(key)).toBe(true),
  );

  it.each(['company', 'contentHash', 'username', 'siteCode', 'operation'])('keeps %s', (key) =>
    expect(isSensitiveKey(key)).toBe(false),
  );
});

describe('redactSensitiveKeys', () => {
  it('redacts sensitive keys at any depth, in arrays and in error fields, without touching the input', () => {
    const error = Object.assign(new Error('boom'), { request: { headers: { 'x-forecast-api-key': 'k-123' } } });
    const input = { tenant: { credentials: { username: 'u' }, links: [{ token: 't' }] }, err: error, attempt: 2 };

    const output = redactSensitiveKeys(input) as any;

    expect(output.tenant.credentials).toBe('[REDACTED]');
    expect(output.tenant.links[0].token).toBe('[REDACTED]');
    expect(output.err.message).toBe('boom');
    expect(output.err.request.headers['x-forecast-api-key']).toBe('[REDACTED]');
    expect(output.attempt).toBe(2);
    expect(input.tenant.links[0].token).toBe('t');
  });

  it('survives cycles', () => {
    const node: Record<string, unknown> = { name: 'a' };
    node.self = node;
    expect(redactSensitiveKeys(node)).toEqual({ name: 'a', self: '[Circular]' });
  });
});
