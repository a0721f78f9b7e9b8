import { encodeCursor } from '@timelog-sync/administration';
import { listQuery, timelogRefField } from './request-fields';

describe('a list page query', () => {
  const query = listQuery(100);

  it('takes a search, a limit and a cursor this list handed out', () => {
    expect(query.parse({})).toEqual({ limit: 100 });
    expect(query.parse({ q: ' ann ', limit: '2', cursor: encodeCursor(['ann', '2']) })).toEqual({ q: 'ann', limit: 2, cursor: ['ann', '2'] });
    expect(query.parse({ q: '' })).toEqual({ limit: 100 });
  });

  it.each([
    [{ limit: '0' }, 'limit'],
    [{ limit: '501' }, 'limit'],
    [{ limit: '1e2' }, 'limit'],
    [{ cursor: 'not a cursor' }, 'cursor'],
    [{ cursor: encodeCursor(['a', 'b']).slice(0, -2) + '!!' }, 'cursor'],
    [{ cursor: Buffer.from('{"a":1}').toString('base64url') }, 'cursor'],
    [{ q: 'a\u0000b' }, 'q'],
    [{ q: 'x'.repeat(201) }, 'q'],
    [{ sort: 'name' }, ''],
  ])('refuses %j, naming %s', (input, field) => {
    const result = query.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toContain(field);
  });
});

describe('a TimeLog reference of the activity log', () => {
  it('makes a work GUID the WorkGuid the pairs store and leaves a task id as it is', () => {
    expect(timelogRefField.parse(' 6F9619FF-8B86-D011-B42D-00C04FC964FF ')).toBe('6f9619ff-8b86-d011-b42d-00c04fc964ff');
    expect(timelogRefField.parse('4711')).toBe('4711');
  });
});
