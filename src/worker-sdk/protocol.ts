import type { operations } from '../api-types';

// The wire format (docs/workers.md, "The protocol"), as generated from docs/openapi.json: by operation, not by
// schema name, so a renamed DTO changes nothing here and a changed answer fails the build. The SDK trusts the answers.

type ClaimJobs = operations['claimJobs'];
type HeartbeatJob = operations['heartbeatJob'];
type CompleteJob = operations['completeJob'];
type FailJob = operations['failJob'];
type AppendJobLogs = operations['appendJobLogs'];

/** The gateway's job JSON, as `GET /job-manager/jobs/{id}`, `complete` and `fail` answer it. */
export type GatewayJob = operations['getJob']['responses'][200]['content']['application/json'];

export type JobStatus = GatewayJob['status'];

export type ClaimRequest = ClaimJobs['requestBody']['content']['application/json'];

export type ClaimResponse = ClaimJobs['responses'][200]['content']['application/json'];

/** A job as the claim hands it out: the job JSON plus its `lease` (token, expiry) and `execution` (number). */
export type ClaimedJob = ClaimResponse['jobs'][number];

export type HeartbeatRequest = HeartbeatJob['requestBody']['content']['application/json'];

export type HeartbeatResponse = HeartbeatJob['responses'][200]['content']['application/json'];

/** `result` is whatever the handler resolved to; it travels as JSON.stringify makes it (the gateway refuses the rest). */
export type CompleteRequest = Omit<CompleteJob['requestBody']['content']['application/json'], 'result'> & { result?: unknown };

export type FailRequest = FailJob['requestBody']['content']['application/json'];

/** The ended job; `claimed` holds the next jobs when the request carried `claimNext`. */
export type EndedJob = CompleteJob['responses'][200]['content']['application/json'];

export type ClaimNextRequest = NonNullable<CompleteRequest['claimNext']>;

export type AppendLogsRequest = AppendJobLogs['requestBody']['content']['application/json'];

export type AppendLogsResponse = AppendJobLogs['responses'][200]['content']['application/json'];

export type LogLine = AppendLogsRequest['lines'][number];

export type LogLevel = NonNullable<LogLine['level']>;

/** Limits the gateway enforces; the SDK trims to them rather than have a whole call rejected. */
export const PROTOCOL_LIMITS = {
  maxJobsPerClaim: 100,
  maxLogLinesPerCall: 100,
  maxLogMessageLength: 4096,
  maxErrorLength: 4096,
  maxHeartbeatMessageLength: 1024,
} as const;
