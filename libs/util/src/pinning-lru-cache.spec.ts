import { PinningLruCache } from './pinning-lru-cache';

describe('PinningLruCache', () => {
  const waiting = new Set<string>();
  const client = (name: string) => ({ name });
  const cache = () => new PinningLruCache<{ name: string }>({ max: 2, pinned: (value) => waiting.has(value.name) });
  beforeEach(() => waiting.clear());

  it('drops the least recently used entry beyond its size', () => {
    const clients = cache();
    clients.set('a', client('a'));
    clients.set('b', client('b'));
    clients.get('a');
    clients.set('c', client('c'));
    expect(clients.get('b')).toBeUndefined();
    expect(clients.entries().map(([key]) => key).sort()).toEqual(['a', 'c']);
  });

  it('keeps an evicted entry while it is pinned, and takes it back when read', () => {
    const clients = cache();
    const a = client('a');
    clients.set('a', a);
    waiting.add('a');
    clients.set('b', client('b'));
    clients.set('c', client('c'));
    expect(clients.entries().map(([key]) => key).sort()).toEqual(['a', 'b', 'c']);
    expect(clients.get('a')).toBe(a);
    // Back among the recent ones: the least recent unpinned one made room.
    expect(clients.get('b')).toBeUndefined();
  });

  it('forgets an entry set aside once it is no longer pinned', () => {
    const clients = cache();
    clients.set('a', client('a'));
    waiting.add('a');
    clients.set('b', client('b'));
    clients.set('c', client('c'));
    waiting.delete('a');
    expect(clients.entries().map(([key]) => key).sort()).toEqual(['b', 'c']);
    expect(clients.get('a')).toBeUndefined();
  });

  it('deletes an entry wherever it is held', () => {
    const clients = cache();
    clients.set('a', client('a'));
    waiting.add('a');
    clients.set('b', client('b'));
    clients.set('c', client('c'));
    clients.delete('a');
    expect(clients.get('a')).toBeUndefined();
  });
});
