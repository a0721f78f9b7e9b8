import { describeFailure, ExternalCallError, readableCause } from './external-call-error';

describe('readableCause', () => {
  it('gives readable text for whatever was thrown, never [object Object]', () => {
    expect(readableCause(new Error('TimeLog refused registration 7: Work unit x was not found'))).toBe('TimeLog refused registration 7: Work unit x was not found');
    expect(readableCause('plain text')).toBe('plain text');
    expect(readableCause({ message: 'from an object' })).toBe('from an object');
    expect(readableCause({ faultcode: { $value: 's:Server' } })).toBe('{"faultcode":{"$value":"s:Server"}}');
    expect(describeFailure({ status: 503 })).toBe('{"status":503}');
    expect(describeFailure(new ExternalCallError('timelog', 'UpdateWork', 'retryable', 'HTTP 503'))).toBe('retryable: timelog UpdateWork: HTTP 503');
  });
});
