export interface ProblemDetails {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  instance?: string;
  code?: string;
  [extension: string]: unknown;
}

/** The gateway answered with an error status (after any retries the status allowed). */
export class GatewayError extends Error {
  override readonly name: string = 'GatewayError';

  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly problem?: ProblemDetails,
  ) {
    super(`Gateway answered ${status} ${code}: ${detail}`);
  }
}

/** The job is no longer this worker's (lease expired and re-claimed, aborted, finished): stop, report nothing. */
export class LeaseLostError extends GatewayError {
  override readonly name: string = 'LeaseLostError';
}

export class GatewayUnreachableError extends Error {
  override readonly name: string = 'GatewayUnreachableError';

  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
  }
}

/** Throw it from a handler when running the job again cannot succeed (bad input, missing data). */
export class NonRetryableError extends Error {
  override readonly name: string = 'NonRetryableError';
  readonly retryable = false;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message || error.name : String(error);
}

/** The gateway answered and said no: the same request would be refused again, unlike after an outage. */
export function isRefusedByGateway(error: unknown): boolean {
  return error instanceof GatewayError && error.status < 500 && error.status !== 429;
}
