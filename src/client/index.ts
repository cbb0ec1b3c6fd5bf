export { GatewayProblemError, GatewayUnavailableError, UnexpectedResponseError, WaitTimeoutError } from './errors';
export { GhibliClient } from './ghibli-client';
export type { CallOptions, Credentials, GhibliClientOptions, SubmitResult, WaitOptions } from './ghibli-client';
export type { FetchFunction } from './http-transport';
export { DEFAULT_RETRY_POLICY } from './retry-policy';
export type { RetryMode, RetryPolicy } from './retry-policy';
export type { Contract, FieldError, Job, JobEvent, JobStatus, ListJobsQuery, ProblemDetails, Queue, Readiness, ResubmitRequest, SubmitRequest } from './wire-types';
export { FINAL_STATUSES } from './wire-types';
