import { describe, expect, it } from 'vitest';
import { CONTROL_TRANSITIONS, retryDelaySeconds, statusAfterFailure } from './job-status';

describe('control transitions', () => {
  it('allow exactly the documented starting statuses', () => {
    expect(CONTROL_TRANSITIONS).toEqual({
      abort: { from: ['SUBMITTED', 'SUSPENDED'], to: 'ABORTED' },
      suspend: { from: ['SUBMITTED'], to: 'SUSPENDED' },
      resume: { from: ['SUSPENDED'], to: 'SUBMITTED' },
      restart: { from: ['ERROR', 'ABORTED'], to: 'SUBMITTED' },
    });
  });
});

describe('statusAfterFailure', () => {
  const job = { abortRequested: false, attempts: 1, maxAttempts: 3, retryable: true };

  it('retries while attempts remain', () => {
    expect(statusAfterFailure(job)).toBe('SUBMITTED');
  });

  it('ends in ERROR when attempts are spent or the failure is not retryable', () => {
    expect(statusAfterFailure({ ...job, attempts: 3 })).toBe('ERROR');
    expect(statusAfterFailure({ ...job, retryable: false })).toBe('ERROR');
  });

  it('ends in ABORTED when an abort was requested, whatever else holds', () => {
    expect(statusAfterFailure({ ...job, abortRequested: true })).toBe('ABORTED');
    expect(statusAfterFailure({ ...job, abortRequested: true, attempts: 3 })).toBe('ABORTED');
  });
});

describe('retryDelaySeconds', () => {
  it('doubles per attempt between half and all of the ceiling', () => {
    expect(retryDelaySeconds(1, () => 0)).toBe(1);
    expect(retryDelaySeconds(1, () => 1)).toBe(2);
    expect(retryDelaySeconds(3, () => 0)).toBe(4);
    expect(retryDelaySeconds(3, () => 1)).toBe(8);
  });

  it('is capped at five minutes', () => {
    expect(retryDelaySeconds(30, () => 1)).toBe(300);
  });
});
