import type { components, operations } from '../api-types';

// The wire format as generated from docs/openapi.json, by operation (as src/worker-sdk/protocol.ts does): a changed answer fails the build.

type Json<T> = T extends { content: { 'application/json': infer Body } } ? Body : never;

/** The gateway's job JSON, as `GET /job-manager/jobs/{id}` answers it. */
export type Job = Json<operations['getJob']['responses'][200]>;

export type JobStatus = Job['status'];

export type SubmitRequest = operations['submitJob']['requestBody']['content']['application/json'];

export type ResubmitRequest = NonNullable<operations['resubmitJob']['requestBody']>['content']['application/json'];

export type ListJobsQuery = NonNullable<operations['listJobs']['parameters']['query']>;

export type JobListPage = Json<operations['listJobs']['responses'][200]>;

export type JobEventPage = Json<operations['listJobEvents']['responses'][200]>;

export type JobEvent = JobEventPage['events'][number];

export type Contract = Json<operations['listContracts']['responses'][200]>['contracts'][number];

export type Queue = Json<operations['listQueues']['responses'][200]>['queues'][number];

export type Readiness = Json<operations['getReadiness']['responses'][200]>;

/** RFC 9457 problem details as the gateway renders every 4xx and 5xx (docs/api.md, "Errors: problem details"). */
export type ProblemDetails = components['schemas']['ProblemDto'];

export type FieldError = NonNullable<ProblemDetails['errors']>[number];

/** A job in one of these statuses will not change again unless someone restarts it. */
export const FINAL_STATUSES: ReadonlySet<JobStatus> = new Set<JobStatus>(['COMPLETED', 'ERROR', 'ABORTED']);
