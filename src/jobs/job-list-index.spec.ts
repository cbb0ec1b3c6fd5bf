import { describe, expect, it } from 'vitest';
import { listIndexFor } from './job-list-index';
import { parseSort } from './job-list-query';

describe('listIndexFor', () => {
  it.each([
    [['status'], '-id', 'IDX_jobs_status_id'],
    [['contract'], '+id', 'IDX_jobs_contract_id'],
    [['queue'], '-id', 'IDX_jobs_queue_id'],
    [['submittedBy'], '-id', 'IDX_jobs_submitted_by_id'],
    [['status', 'lcid'], '-id', 'IDX_jobs_status_id'],
    [['status', 'submittedBy'], '-id', 'IDX_jobs_submitted_by_id'],
    [[], '-createdAt', 'IDX_jobs_created_at_id'],
    [[], '+updatedAt', 'IDX_jobs_updated_at_id'],
    [[], '+contract', 'IDX_jobs_contract_id'],
    [['status'], '-status', 'IDX_jobs_status_id'],
  ])('equality on %j sorted %s: %s', (fields, sort, index) => {
    expect(listIndexFor(fields, parseSort(sort))).toBe(index);
  });

  it.each([
    [[], '-id'],
    [['lcid'], '-id'],
    [['id', 'status'], '-id'],
    [['status'], '-createdAt'],
    [[], '+workflowTemplateName'],
    [[], '-contract,-createdAt'],
  ])('leaves equality on %j sorted %s to the optimizer', (fields, sort) => {
    expect(listIndexFor(fields, parseSort(sort))).toBeUndefined();
  });
});
