import { describe, expect, it } from 'vitest';
import { GatewayProblemError, GatewayUnavailableError } from '../client';
import { colorsWanted } from './cli-io';
import { collectVariable, parseDuration, sinceInstant } from './cli-options';
import { EXIT, exitCodeFor, UsageError } from './exit-codes';

describe('the command line options (docs/client.md, "The command line")', () => {
  it('reads --var values as JSON when they are JSON, else as strings', () => {
    let variables = collectVariable('date=2026-11-23');
    for (const each of ['maxOrders=500', 'dryRun=true', 'code="007"', 'expr=a=b', 'empty=']) variables = collectVariable(each, variables);
    expect(variables).toEqual({ date: '2026-11-23', maxOrders: 500, dryRun: true, code: '007', expr: 'a=b', empty: '' });
    expect(() => collectVariable('novalue')).toThrow('expected name=value');
    expect(() => collectVariable('=x')).toThrow('expected name=value');
  });

  it('reads durations, and --since as the instant that long ago', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('2d')).toBe(172_800_000);
    for (const wrong of ['', '1', 'h', '1h 30m', '1y', 'yesterday']) expect(() => parseDuration(wrong), wrong).toThrow('expected a duration');
    expect(sinceInstant('1h', Date.parse('2026-11-23T10:00:00Z'))).toBe('2026-11-23T09:00:00.000Z');
  });

  it('colours only a terminal, and never with NO_COLOR', () => {
    expect(colorsWanted({ write: () => true, isTTY: true }, {})).toBe(true);
    expect(colorsWanted({ write: () => true, isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colorsWanted({ write: () => true }, {})).toBe(false);
    expect(colorsWanted({ write: () => true }, { FORCE_COLOR: '1' })).toBe(true);
    expect(colorsWanted({ write: () => true, isTTY: true }, { TERM: 'dumb' })).toBe(false);
  });

  it('maps failures to the documented exit codes', () => {
    const problem = (status: number) => new GatewayProblemError(status, undefined);
    expect(exitCodeFor(new UsageError('x'))).toBe(EXIT.USAGE);
    expect([400, 409, 422].map((status) => exitCodeFor(problem(status)))).toEqual([EXIT.USAGE, EXIT.USAGE, EXIT.USAGE]);
    expect([401, 403].map((status) => exitCodeFor(problem(status)))).toEqual([EXIT.AUTH, EXIT.AUTH]);
    expect(exitCodeFor(problem(404))).toBe(EXIT.NOT_FOUND);
    expect(exitCodeFor(new GatewayUnavailableError('down', 5, problem(503)))).toBe(EXIT.UNAVAILABLE);
    expect(exitCodeFor(new TypeError('fetch failed'))).toBe(EXIT.UNAVAILABLE);
    expect(exitCodeFor(problem(500))).toBe(EXIT.UNAVAILABLE);
  });
});
