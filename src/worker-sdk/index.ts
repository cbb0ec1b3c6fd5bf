export { GatewayClient } from './gateway-client';
export type { CallOptions, GatewayClientOptions } from './gateway-client';
export type { BackoffPolicy } from './backoff';
export { GatewayError, GatewayUnreachableError, LeaseLostError, NonRetryableError } from './errors';
export type { ProblemDetails } from './errors';
export type { JobContext, JobHandler } from './job-handler';
export { consoleLogger } from './logger';
export type { WorkerLogger } from './logger';
export type {
  AppendLogsRequest,
  AppendLogsResponse,
  ClaimedJob,
  ClaimRequest,
  ClaimResponse,
  CompleteRequest,
  FailRequest,
  GatewayJob,
  HeartbeatRequest,
  HeartbeatResponse,
  JobStatus,
  LogLevel,
  LogLine,
} from './protocol';
export { PROTOCOL_LIMITS } from './protocol';
export { GatewayWorker } from './worker';
export type { StopOptions } from './worker';
export type { GatewayConnection, GatewayWorkerOptions } from './worker-options';
export { fullJitterDelayMs, parseRetryAfterMs } from './backoff';
