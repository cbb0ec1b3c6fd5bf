import type { SortKey } from './job-list-query';

/** The list indexes (column, id) by field, the usually most selective first. */
const LIST_INDEXES: Record<string, string> = {
  resubmittedFrom: 'IDX_jobs_resubmitted_from',
  submittedBy: 'IDX_jobs_submitted_by_id',
  contract: 'IDX_jobs_contract_id',
  queue: 'IDX_jobs_queue_id',
  status: 'IDX_jobs_status_id',
  createdAt: 'IDX_jobs_created_at_id',
  updatedAt: 'IDX_jobs_updated_at_id',
};

/** The list index that serves a page exactly, if one does (docs/architecture.md, "Listing"). */
export function listIndexFor(equalityFields: readonly string[], sort: readonly SortKey[]): string | undefined {
  if (equalityFields.includes('id')) return undefined;
  const leading = sort.slice(0, -1).map((key) => key.field);
  if (leading.length === 0) {
    const filter = Object.keys(LIST_INDEXES).find((field) => equalityFields.includes(field));
    return filter === undefined ? undefined : LIST_INDEXES[filter];
  }
  const [column] = leading;
  if (leading.length > 1 || !Object.hasOwn(LIST_INDEXES, column)) return undefined;
  return equalityFields.every((field) => field === column) ? LIST_INDEXES[column] : undefined;
}
