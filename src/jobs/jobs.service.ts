import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Principal } from '../common/principal';
import { PermissionsService } from '../auth/permissions/permissions.service';
import { DomainError } from '../common/errors/domain-error';
import { CursorCodec } from '../common/paging/cursor-codec';
import { DEFAULT_MAX_ITEMS } from '../common/paging/max-items';
import { ListJobsQueryDto } from './dto/list-jobs-query.dto';
import { JobEntity } from './job.entity';
import { FILTER_FIELDS, FilterField, formatSort, parseSort, SortKey, TIMESTAMP_SORT_FIELDS } from './job-list-query';
import { JobCriteria, JobsRepository, SeekValues } from './jobs.repository';
import { FACET_VALUE_LIMIT, FacetCounts, facetCounts, FacetField, parseFacets } from './job-facets';

export interface JobPage {
  jobs: JobEntity[];
  cursor?: string;
  total?: number;
  facets?: FacetCounts;
  facetsTruncated?: FacetField[];
}

interface ListCursor {
  /** Binds the cursor to the query it was issued for. */
  q: string;
  /** The sort-key values of the last job of the previous page. */
  v: string[];
}

const isListCursor = (value: unknown): value is ListCursor =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as ListCursor).q === 'string' &&
  Array.isArray((value as ListCursor).v) &&
  (value as ListCursor).v.every((entry) => typeof entry === 'string');

@Injectable()
export class JobsService {
  constructor(
    private readonly jobs: JobsRepository,
    private readonly permissions: PermissionsService,
    private readonly cursors: CursorCodec,
  ) {}

  /** A page of jobs in a total order (sort keys, then id), walked by keyset (docs/architecture.md, "Listing"). */
  async list(principal: Principal, query: ListJobsQueryDto): Promise<JobPage> {
    const sort = parseSort(query.sort);
    const criteria = this.criteriaFor(principal, query);
    const fingerprint = createHash('sha256')
      .update(JSON.stringify([criteria, formatSort(sort)]))
      .digest('base64url')
      .slice(0, 16);
    const after = query.cursor ? this.seekValues(query.cursor, fingerprint, sort) : undefined;
    const limit = query.maxItems ?? DEFAULT_MAX_ITEMS;

    const [rows, total, facets] = await Promise.all([
      this.jobs.findPage(criteria, sort, after, limit + 1),
      query.includeTotal ? this.jobs.count(criteria) : undefined,
      query.facets === undefined ? undefined : this.facets(criteria, parseFacets(query.facets)),
    ]);
    const jobs = rows.slice(0, limit);
    const last = jobs[jobs.length - 1];
    return {
      jobs,
      ...(rows.length > limit ? { cursor: this.cursors.encode({ q: fingerprint, v: sortValues(last, sort) }) } : {}),
      ...(total === undefined ? {} : { total }),
      ...facets,
    };
  }

  /** Each facet's counts over the same criteria as the page (all pages), bounded to FACET_VALUE_LIMIT values. */
  private async facets(criteria: JobCriteria, fields: FacetField[]): Promise<Pick<JobPage, 'facets' | 'facetsTruncated'>> {
    const answers = await Promise.all(fields.map((field) => this.jobs.facet(criteria, field, FACET_VALUE_LIMIT + 1)));
    const facets: FacetCounts = {};
    const truncated: FacetField[] = [];
    fields.forEach((field, index) => {
      const { counts, truncated: cut } = facetCounts(answers[index]);
      facets[field] = counts;
      if (cut) truncated.push(field);
    });
    return { facets, ...(truncated.length > 0 ? { facetsTruncated: truncated } : {}) };
  }

  /** The list filters of a query, plus the own-jobs restriction of callers without JOBS_ALL. */
  criteriaFor(principal: Principal, query: ListJobsQueryDto): JobCriteria {
    const equals: Partial<Record<FilterField, string>> = {};
    for (const field of FILTER_FIELDS) {
      const value = query[field];
      if (value !== undefined) equals[field] = value;
    }
    return {
      equals,
      createdAt: { from: query.createdAtFrom, to: query.createdAtTo },
      updatedAt: { from: query.updatedAtFrom, to: query.updatedAtTo },
      submittedBy: this.permissions.allows('JOBS_ALL', principal.roles) ? undefined : principal.name,
    };
  }

  private seekValues(cursor: string, fingerprint: string, sort: SortKey[]): SeekValues {
    const payload = this.cursors.decode(cursor, isListCursor);
    if (payload.q !== fingerprint || payload.v.length !== sort.length) {
      throw new DomainError('INVALID_CURSOR', 'The cursor belongs to another query: keep every parameter of the next link.', {
        errors: [{ field: 'cursor', message: 'was issued for different filters or sort' }],
      });
    }
    return payload.v.map((value, index) => (TIMESTAMP_SORT_FIELDS.includes(sort[index].field) ? new Date(value) : value));
  }

  /** One job (404 for others' jobs without JOBS_ALL); `display` reads may come from a replica. */
  async get(principal: Principal, id: string, purpose: 'display' | 'change' = 'change'): Promise<JobEntity> {
    const job = purpose === 'display' ? await this.jobs.findByIdForDisplay(id) : await this.jobs.findById(id);
    if (!job || !this.maySee(principal, job)) {
      throw new DomainError('JOB_NOT_FOUND', `No job with id ${id}.`);
    }
    return job;
  }

  private maySee(principal: Principal, job: JobEntity): boolean {
    return job.submittedBy === principal.name || this.permissions.allows('JOBS_ALL', principal.roles);
  }
}

function sortValues(job: JobEntity, sort: SortKey[]): string[] {
  return sort.map((key) => {
    const value = job[key.field];
    return value instanceof Date ? value.toISOString() : String(value);
  });
}
