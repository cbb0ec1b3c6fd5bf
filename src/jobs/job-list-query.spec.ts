import { describe, expect, it } from 'vitest';
import { DomainError } from '../common/errors/domain-error';
import { formatSort, parseSort } from './job-list-query';

describe('parseSort', () => {
  it('defaults to -id', () => {
    expect(parseSort(undefined)).toEqual([{ field: 'id', descending: true }]);
  });

  it('reads +, - and a bare field, and appends the id tie-break in the first key\'s direction', () => {
    expect(formatSort(parseSort('+createdAt'))).toBe('+createdAt,+id');
    expect(formatSort(parseSort('-status,contract'))).toBe('-status,+contract,-id');
    expect(formatSort(parseSort('queue'))).toBe('+queue,+id');
  });

  it('reads a + that arrived as a space (an unencoded query string)', () => {
    expect(formatSort(parseSort(' createdAt'))).toBe('+createdAt,+id');
  });

  it('stops at an explicit id: it already orders totally', () => {
    expect(formatSort(parseSort('-id,+status'))).toBe('-id');
  });

  it.each([['+nope'], ['-'], ['*id'], ['id;drop'], ['+status,+status'], ['extIPID'], ['']])('refuses %j', (raw) => {
    expect(() => parseSort(raw)).toThrowError(DomainError);
  });
});
