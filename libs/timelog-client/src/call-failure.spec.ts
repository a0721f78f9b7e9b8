import { transportFailure } from './call-failure';

const httpError = (status: number, faultcode?: string | object, headers: Record<string, unknown> = {}) => ({
  response: { status, headers },
  root: faultcode ? { Envelope: { Body: { Fault: { faultcode } } } } : undefined,
});

describe('transportFailure', () => {
  it.each([
    [httpError(500), 'retryable', 'http-500'],
    [httpError(503), 'retryable', 'http-503'],
    [httpError(500, 'a:InternalServiceFault'), 'retryable', 'http-500'],
    [httpError(429), 'retryable', 'http-429'],
    [httpError(500, 'a:DeserializationFailed'), 'permanent', 'a:DeserializationFailed'],
    [httpError(500, 'a:ActionNotSupported'), 'permanent', 'a:ActionNotSupported'],
    [httpError(401, 's:Client'), 'permanent', 'http-401'],
    [httpError(404), 'permanent', 'http-404'],
    [{ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' }, 'retryable', 'ECONNREFUSED'],
    [{ code: 'ECONNABORTED', message: 'timeout of 200ms exceeded' }, 'retryable', 'TIMEOUT'],
    [{ code: 'ETIMEDOUT', message: 'connect ETIMEDOUT' }, 'retryable', 'TIMEOUT'],
    [{ message: 'unexpected' }, 'permanent', 'unknown'],
  ])('classifies %p as %s (%s)', (error, failureClass, code) => {
    const failure = transportFailure('InsertWork', error);
    expect(failure.failureClass).toBe(failureClass);
    expect(failure.code).toBe(code);
    expect(failure.vendor).toBe('timelog');
    expect(failure.operation).toBe('InsertWork');
  });

  it('passes Retry-After on', () => {
    expect(transportFailure('GetTasksRaw', httpError(429, undefined, { 'retry-after': '30' })).retryAfterSeconds).toBe(30);
  });

  it('reads a faultcode node-soap parsed with its xmlns attribute as text, never [object Object]', () => {
    const failure = transportFailure('UpdateWork', httpError(500, { attributes: { 'xmlns:a': 'http://schemas.microsoft.com/net/2005/12/windowscommunicationfoundation/dispatcher' }, $value: 'a:DeserializationFailed' }));
    expect(failure.message).toBe('timelog UpdateWork: SOAP fault a:DeserializationFailed');
    expect(failure.retryable).toBe(false);
  });
});
