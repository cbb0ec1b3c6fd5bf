import type { FilterField } from './job-list-query';

/** The facets a list may count: each reads its (column, id) index, or IDX_jobs_submitted_by_facets for own jobs (docs/api.md, "Listing jobs"). */
export const FACET_FIELDS = ['status', 'queue', 'contract', 'submittedBy'] as const satisfies readonly FilterField[];
export type FacetField = (typeof FACET_FIELDS)[number];

/** At most this many values per facet, the most frequent first; the rest is cut and the facet named in facetsTruncated. */
export const FACET_VALUE_LIMIT = 1000;

export const FACETS_PATTERN = `^(${FACET_FIELDS.join('|')})(,(${FACET_FIELDS.join('|')}))*$`;

export type FacetCounts = Partial<Record<FacetField, Record<string, number>>>;

export interface FacetRow {
  value: string;
  count: string | number;
}

/** A validated `facets` ("status,queue,status") → ['status', 'queue']: duplicates are ignored. */
export function parseFacets(raw: string | undefined): FacetField[] {
  return raw === undefined ? [] : [...new Set(raw.split(',') as FacetField[])];
}

/** Rows ordered by count (at most limit + 1 of them) → the value map, and whether values were cut. */
export function facetCounts(rows: readonly FacetRow[], limit = FACET_VALUE_LIMIT): { counts: Record<string, number>; truncated: boolean } {
  // fromEntries defines own properties, so a queue named "__proto__" stays a key.
  const counts = Object.fromEntries(rows.slice(0, limit).map((row) => [String(row.value), Number(row.count)]));
  return { counts, truncated: rows.length > limit };
}
