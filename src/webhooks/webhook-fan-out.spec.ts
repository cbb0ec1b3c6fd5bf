import { describe, expect, it } from 'vitest';
import type { JobEntity } from '../jobs';
import { deliveryBody, MAX_BODY_BYTES } from './webhook-fan-out';

const job = (actionVariables: Record<string, unknown>): JobEntity =>
  ({
    id: '7', ipid: null, status: 'COMPLETED', statusMessage: '', createdAt: new Date(0), updatedAt: new Date(0), submittedBy: 'a',
    queue: 'q', actor: 'A', contract: 'c', contractType: 'INPUT', contractAction: 'run', contractActionTrigger: 'ON_DEMAND',
    workflowInstanceId: 'w', workflowTemplateId: '1', workflowTemplateName: 'n', workflowTemplateRevision: '1',
    workflowTemplateDescription: '', dfiid: 'd', lcid: 'l', userAttrs: {}, extIPID: null, actionVariables, secretVariables: null,
    priority: 0, attempts: 1, maxAttempts: 3, timeoutSeconds: null, abortRequested: false, executionCount: 1, leaseToken: null,
    leaseExpiresAt: null, leaseSeconds: null, executionDeadline: null, workerId: null, runAfter: null, notBefore: null, progress: 100,
    startedAt: null, finishedAt: null, result: null, name: null, description: null, tags: null, resubmittedFrom: null,
  }) as JobEntity;

describe('deliveryBody', () => {
  const event = { type: 'job.completed' as const, at: new Date('2026-12-02T10:00:00Z') };

  it('carries the job as the API shows it', () => {
    const body = JSON.parse(deliveryBody(event, job({ date: '2026-12-02' })));
    expect(body).toMatchObject({ type: 'job.completed', timestamp: '2026-12-02T10:00:00.000Z', data: { job: { id: '7', actionVariables: { date: '2026-12-02' } } } });
    expect(body.data.truncated).toBeUndefined();
  });

  it('drops variables and result, and says so, when the body would not fit its column', () => {
    const text = deliveryBody(event, job({ blob: 'x'.repeat(MAX_BODY_BYTES) }));
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(MAX_BODY_BYTES);
    const body = JSON.parse(text);
    expect(body.data.truncated).toEqual(['actionVariables', 'result']);
    expect(body.data.job).not.toHaveProperty('actionVariables');
    expect(body.data.job.id).toBe('7');
  });
});
