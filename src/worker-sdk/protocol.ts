// The wire format (docs/workers.md, "The protocol"); the SDK trusts the gateway's answers.

export type JobStatus = 'SUBMITTED' | 'SUSPENDED' | 'RUNNING' | 'ERROR' | 'ABORTED' | 'COMPLETED';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** The gateway's job JSON; fields the SDK does not use stay reachable through the index signature. */
export interface GatewayJob {
  id: string;
  status: JobStatus;
  queue: string;
  contract: string;
  contractAction: string;
  actionVariables: Record<string, unknown>;
  attempts: number;
  maxAttempts: number;
  extIPID: string | null;
  dfic: { dfiid: string; lcid: string; userAttrs: Record<string, string> };
  [field: string]: unknown;
}

export interface ClaimedJob extends GatewayJob {
  lease: { token: string; expiresAt: string };
  execution: { number: number };
}

export interface ClaimRequest {
  workerId: string;
  queues: string[];
  maxJobs: number;
  leaseSeconds: number;
  waitSeconds: number;
}

export interface ClaimResponse {
  jobs: ClaimedJob[];
}

export interface HeartbeatRequest {
  leaseToken: string;
  progress?: number;
  message?: string;
}

export interface HeartbeatResponse {
  abortRequested: boolean;
  leaseExpiresAt: string;
}

export interface CompleteRequest {
  leaseToken: string;
  result?: unknown;
}

export interface FailRequest {
  leaseToken: string;
  error: string;
  retryable: boolean;
}

export interface LogLine {
  message: string;
  level?: LogLevel;
}

export interface AppendLogsRequest {
  leaseToken: string;
  lines: LogLine[];
}

export interface AppendLogsResponse {
  appended: number;
}

/** Limits the gateway enforces; the SDK trims to them rather than have a whole call rejected. */
export const PROTOCOL_LIMITS = {
  maxJobsPerClaim: 100,
  maxLogLinesPerCall: 100,
  maxLogMessageLength: 4096,
  maxErrorLength: 4096,
  maxHeartbeatMessageLength: 1024,
} as const;
