import { AdministrationError } from './administration-error';
import { Cursor, decodeCursor, encodeCursor, pageInMemory } from './list-pages';

const people = [
  { id: 10, name: 'Bob' },
  { id: 9, name: 'ann' },
  { id: 2, name: 'Ann' },
  { id: 30, name: 'Carl' },
];
const position = (person: { id: number; name: string }): Cursor => [person.name.toLowerCase(), String(person.id)];
const matches = (person: { name: string }, q: string) => person.name.toLowerCase().includes(q);

describe('pages of a list held in memory', () => {
  it('pages by name then numeric id, every item once, with the total', () => {
    const first = pageInMemory(people, position, matches, { limit: 2 });
    expect(first.items.map((person) => person.id)).toEqual([2, 9]);
    expect(first.total).toBe(4);
    const second = pageInMemory(people, position, matches, { limit: 2, after: first.next! });
    expect(second.items.map((person) => person.id)).toEqual([10, 30]);
    expect(second.next).toBeNull();
  });

  it('searches case-insensitively before paging', () => {
    expect(pageInMemory(people, position, matches, { q: 'ANN', limit: 1 })).toMatchObject({ total: 2, items: [{ id: 2 }], next: ['ann', '2'] });
  });

  it('hands out opaque cursors and refuses any other', () => {
    expect(decodeCursor(encodeCursor(['ann', '2']))).toEqual(['ann', '2']);
    for (const foreign of ['not-base64-json', Buffer.from('{"a":1}').toString('base64url'), Buffer.from('[1,2]').toString('base64url')]) {
      expect(() => decodeCursor(foreign)).toThrow(AdministrationError);
    }
  });
});
