import { ExternalCallError } from '@timelog-sync/domain';
import { batchItems, isTokenRejection, returnedItems } from './api-envelope';

const message = (Message: string, Severity: string, ErrorCode = 0) => ({ Message, Severity, ErrorCode });

describe('TimeLog envelopes', () => {
  it('treats Severity=Message entries as noise on success', () => {
    const envelope = { ResponseState: 'Success', Return: { Task: { ID: 'x' } }, Messages: { APIMessage: [message('Successfully called TimeLog.API', 'Message')] } };
    expect(returnedItems('GetTaskByID', envelope, 'Task')).toEqual([{ ID: 'x' }]);
  });

  it('throws a permanent error with the Invalid messages and code, not the informational ones', () => {
    const envelope = {
      ResponseState: 'Invalid',
      ErrorCode: 10002,
      Messages: { APIMessage: [message('Initials, was null or empty', 'Invalid', 10002), message('Duration of call was 0,01 sec.', 'Message')] },
    };
    const thrown = (() => {
      try {
        returnedItems('GetEmployeeWork', envelope, 'WorkUnit');
      } catch (error) {
        return error as ExternalCallError;
      }
    })();
    expect(thrown).toEqual(expect.objectContaining({ failureClass: 'permanent', code: '10002' }));
    expect(thrown?.message).toBe('timelog GetEmployeeWork: Initials, was null or empty');
  });

  it('returns per-item results from an Invalid batch envelope', () => {
    const envelope = {
      ResponseState: 'Invalid',
      Return: { BatchContainerOfWorkUnit: [{ Item: { GUID: 'a' }, Status: 'Success' }, { Status: 'Invalid', Message: 'Task 9 was not found' }] },
    };
    expect(batchItems('InsertWork', envelope, 'WorkUnit', (item) => item.GUID, { count: 2 })).toEqual([
      { ok: true, item: 'a' },
      { ok: false, status: 'Invalid', message: 'Task 9 was not found', code: 0, shape: 'per-item' },
    ]);
  });

  it('throws when a batch envelope was refused for its token', () => {
    const envelope = { ResponseState: 'Invalid', Return: '', Messages: { APIMessage: message('Invalid token', 'Invalid', 10401) } };
    expect(() => batchItems('InsertWork', envelope, 'WorkUnit', (item) => item, { count: 1 })).toThrow(ExternalCallError);
    expect(isTokenRejection(envelope)).toBe(true);
    expect(isTokenRejection({ ResponseState: 'Invalid', Messages: { APIMessage: message('Task 9 was not found', 'Invalid') } })).toBe(false);
  });
});
