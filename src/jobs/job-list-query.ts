import { DomainError } from '../common/errors/domain-error';

/** Fields that are both exact-match filters and sort keys. */
const FILTERABLE_AND_SORTABLE = [
  'id',
  'status',
  'queue',
  'contract',
  'workflowTemplateId',
  'workflowTemplateName',
  'workflowTemplateRevision',
  'submittedBy',
] as const;

/** Data One's sortable fields, nothing else. */
export const SORT_FIELDS = [...FILTERABLE_AND_SORTABLE, 'createdAt', 'updatedAt'] as const;
export type SortField = (typeof SORT_FIELDS)[number];

/** The list filters, all exact matches (Data One: "an exact matching for all fields"). */
export const FILTER_FIELDS = [
  ...FILTERABLE_AND_SORTABLE,
  'extIPID',
  'dfiid',
  'lcid',
  'actor',
  'contractAction',
  'contractType',
  'contractActionTrigger',
  'resubmittedFrom',
] as const;
export type FilterField = (typeof FILTER_FIELDS)[number];

export const TIMESTAMP_SORT_FIELDS: readonly SortField[] = ['createdAt', 'updatedAt'];
export const NUMERIC_SORT_FIELDS: readonly SortField[] = ['id', 'workflowTemplateId', 'workflowTemplateRevision'];

export interface SortKey {
  field: SortField;
  descending: boolean;
}

const isSortField = (value: string): value is SortField => (SORT_FIELDS as readonly string[]).includes(value);

/** Parses `sort` (`+field`/`-field`, an unencoded `+` arrives as a space); ties break on id, so the order is total. */
export function parseSort(raw: string | undefined): SortKey[] {
  const keys: SortKey[] = [];
  for (const part of (raw ?? '-id').split(',')) {
    const match = /^([+ -]?)([A-Za-z]+)$/.exec(part.replace(/^ +(?=[A-Za-z])/, ' '));
    if (!match || !isSortField(match[2])) {
      throw new DomainError('VALIDATION_FAILED', `Cannot sort by "${part.trim()}".`, {
        errors: [{ field: 'sort', message: `must be +field or -field with field one of ${SORT_FIELDS.join(', ')}` }],
      });
    }
    const field = match[2];
    if (keys.some((key) => key.field === field)) {
      throw new DomainError('VALIDATION_FAILED', `"${field}" appears twice in sort.`, {
        errors: [{ field: 'sort', message: `names ${field} twice` }],
      });
    }
    keys.push({ field, descending: match[1] === '-' });
    if (field === 'id') break;
  }
  if (keys[keys.length - 1].field !== 'id') keys.push({ field: 'id', descending: keys[0].descending });
  return keys;
}

export function formatSort(keys: SortKey[]): string {
  return keys.map((key) => `${key.descending ? '-' : '+'}${key.field}`).join(',');
}
