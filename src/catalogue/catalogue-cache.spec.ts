import { describe, expect, it } from 'vitest';
import { CatalogueCache } from './catalogue-cache';

describe('CatalogueCache', () => {
  it('loads once within the TTL, and again after it', async () => {
    let now = 0;
    let loads = 0;
    const cache = new CatalogueCache<number>(1000, 10, () => now);
    const load = async () => ++loads;
    expect(await cache.get('a', load)).toBe(1);
    now = 999;
    expect(await cache.get('a', load)).toBe(1);
    now = 1000;
    expect(await cache.get('a', load)).toBe(2);
  });

  it('does not keep a miss', async () => {
    const cache = new CatalogueCache<number>(1000);
    const stored: { value?: number } = {};
    expect(await cache.get('a', async () => stored.value)).toBeUndefined();
    stored.value = 7;
    expect(await cache.get('a', async () => stored.value)).toBe(7);
  });

  it('forgets everything on invalidate', async () => {
    const cache = new CatalogueCache<string>(60_000);
    await cache.get('a', async () => 'old');
    cache.invalidate();
    expect(await cache.get('a', async () => 'new')).toBe('new');
  });

  it('does not keep a value read before a concurrent invalidation', async () => {
    const cache = new CatalogueCache<string>(60_000);
    let finishRead!: (value: string) => void;
    const staleRead = cache.get('a', () => new Promise<string>((resolve) => (finishRead = resolve)));
    cache.invalidate();
    finishRead('read before the write committed');
    expect(await staleRead).toBe('read before the write committed');
    expect(await cache.get('a', async () => 'fresh')).toBe('fresh');
  });

  it('keeps at most maxEntries, dropping the oldest', async () => {
    let loads = 0;
    const cache = new CatalogueCache<number>(60_000, 2);
    const load = async () => ++loads;
    await cache.get('a', load);
    await cache.get('b', load);
    await cache.get('c', load);
    expect(await cache.get('b', load)).toBe(2);
    expect(await cache.get('a', load)).toBe(4);
  });
});
