import { describe, expect, it } from 'vitest';
import { FACET_VALUE_LIMIT, facetCounts, FACETS_PATTERN, parseFacets } from './job-facets';

describe('parseFacets', () => {
  it('reads the names in order, each once', () => {
    expect(parseFacets('status,queue,status,contract')).toEqual(['status', 'queue', 'contract']);
    expect(parseFacets(undefined)).toEqual([]);
  });

  it.each([['status'], ['status,queue,contract,submittedBy'], ['queue,queue']])('the pattern accepts %j', (raw) => {
    expect(new RegExp(FACETS_PATTERN).test(raw)).toBe(true);
  });

  it.each([[''], ['status,'], [',status'], ['status queue'], ['Status'], ['contractAction'], ['status,,queue']])('the pattern refuses %j', (raw) => {
    expect(new RegExp(FACETS_PATTERN).test(raw)).toBe(false);
  });
});

describe('facetCounts', () => {
  it('maps values to numbers (drivers answer COUNT(*) as strings), keeping the order', () => {
    expect(facetCounts([{ value: 'b', count: '5' }, { value: 'a', count: 2 }])).toEqual({ counts: { b: 5, a: 2 }, truncated: false });
  });

  it('keeps a value named like an Object.prototype key as a plain key', () => {
    const { counts } = facetCounts([{ value: '__proto__', count: 1 }, { value: 'constructor', count: 1 }]);
    expect(Object.keys(counts)).toEqual(['__proto__', 'constructor']);
    expect(JSON.parse(JSON.stringify(counts))).toEqual(JSON.parse('{"__proto__":1,"constructor":1}'));
  });

  it(`cuts at the limit (default ${FACET_VALUE_LIMIT}) and says so only when a row was cut`, () => {
    const rows = Array.from({ length: 4 }, (_, i) => ({ value: `v${i}`, count: 4 - i }));
    expect(facetCounts(rows.slice(0, 3), 3)).toEqual({ counts: { v0: 4, v1: 3, v2: 2 }, truncated: false });
    expect(facetCounts(rows, 3)).toEqual({ counts: { v0: 4, v1: 3, v2: 2 }, truncated: true });
  });
});
