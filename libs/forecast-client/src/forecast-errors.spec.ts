import { errorFromNetwork, errorFromResponse, parseRetryAfter } from './forecast-errors';

describe('errorFromResponse', () => {
  it.each([400, 401, 403, 404, 415])('%i is permanent and keeps the vendor message', (status) => {
    const error = errorFromResponse('createTask', status, JSON.stringify({ status, message: 'Why it failed' }), '5');
    expect(error).toMatchObject({ vendor: 'forecast', operation: 'createTask', failureClass: 'permanent', code: String(status), retryAfterSeconds: undefined });
    expect(error.message).toBe(`forecast createTask: HTTP ${status}: Why it failed`);
  });

  it.each([429, 500, 502, 503, 504])('%i is retryable and carries Retry-After', (status) => {
    expect(errorFromResponse('listTasks', status, '<html>busy</html>', '7')).toMatchObject({ failureClass: 'retryable', retryAfterSeconds: 7 });
  });
});

it('reads Retry-After as seconds or an HTTP date', () => {
  const now = Date.parse('2024-01-01T00:00:00Z');
  expect(parseRetryAfter('120', now)).toBe(120);
  expect(parseRetryAfter('Mon, 01 Jan 2024 00:00:30 GMT', now)).toBe(30);
  expect(parseRetryAfter(null, now)).toBeUndefined();
  expect(parseRetryAfter('soon', now)).toBeUndefined();
});

it('treats network failures and timeouts as retryable', () => {
  const timeout = Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' });
  expect(errorFromNetwork('getTask', timeout)).toMatchObject({ failureClass: 'retryable', code: 'TIMEOUT' });
  expect(errorFromNetwork('getTask', new TypeError('fetch failed'))).toMatchObject({ failureClass: 'retryable', code: 'NETWORK' });
});
