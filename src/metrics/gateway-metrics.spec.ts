import { describe, expect, it } from 'vitest';
import { submissionOutcome } from './gateway-metrics';

describe('submissionOutcome', () => {
  it.each([
    [201, 'created'],
    [409, 'duplicate'],
    [400, 'rejected'],
    [403, 'rejected'],
    [404, 'rejected'],
    [422, 'rejected'],
    [429, 'rejected'],
    [500, 'failed'],
    [503, 'failed'],
  ])('counts %i as %s', (status, outcome) => {
    expect(submissionOutcome(status)).toBe(outcome);
  });

  it('does not count an unauthenticated call: it is nobody\'s submission', () => {
    expect(submissionOutcome(401)).toBeUndefined();
  });
});
