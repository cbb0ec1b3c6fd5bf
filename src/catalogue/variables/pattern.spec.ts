import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { matchesPattern, patternCompileError } from './pattern';

// Each takes exponential time in a backtracking engine on a near-miss value (docs/contracts.md, "Patterns").
const CATASTROPHIC = ['^([a-zA-Z0-9]+\\s?)*$', '^(a+)+$', '^(a|a)*$', '^(a|aa)+$', '^(\\w+\\s?)*$'];

describe('declared patterns (RE2)', () => {
  it.each(CATASTROPHIC.map((pattern) => [pattern]))('runs %s against a 30-character near miss without backtracking', (pattern) => {
    const started = performance.now();
    expect(matchesPattern(pattern, `${'a'.repeat(29)}!`)).toBe(false);
    expect(matchesPattern(pattern, 'a'.repeat(30))).toBe(true);
    // Only proves "not exponential": speed is measured in bench/, not here.
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('matches anywhere unless anchored, as RegExp#test does', () => {
    expect(matchesPattern('b', 'abc')).toBe(true);
    expect(matchesPattern('^b', 'abc')).toBe(false);
  });

  it.each([
    ['^\\d{4}-\\d{2}-\\d{2}$', '2026-11-23', '２０２６-11-23'],
    ['^\\p{L}+$', 'héllo', 'a1'],
    ['^\\x{1F600}$', '😀', ':)'],
    ['^.$', '😀', '\n'],
    ['(?i)^abc$', 'ABC', 'abd'],
    ['^[[:alpha:]]+$', 'abc', 'ab1'],
  ])('reads %s in RE2 syntax: %j matches, %j does not', (pattern, yes, no) => {
    expect(matchesPattern(pattern, yes)).toBe(true);
    expect(matchesPattern(pattern, no)).toBe(false);
  });

  it.each([['(?=a)a'], ['(?<!a)b'], ['(a)\\1'], ['('], ['a{2,1}'], ['\\q'], ['[z-a]']])('refuses %s with RE2\'s message', (pattern) => {
    expect(patternCompileError(pattern)).toEqual(expect.any(String));
    expect(matchesPattern(pattern, 'a')).toBeUndefined();
  });

  it('compiles what RE2 accepts', () => {
    for (const pattern of [...CATASTROPHIC, '^[a-z]+-\\d$', '']) expect(patternCompileError(pattern)).toBeUndefined();
  });
});
