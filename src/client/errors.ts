import type { FieldError, Job, ProblemDetails } from './wire-types';

/** The gateway refused the call (any 4xx, or a 5xx it did not make sense to retry): its problem details, typed. */
export class GatewayProblemError extends Error {
  override readonly name: string = 'GatewayProblemError';
  readonly code: string;
  readonly detail: string;
  readonly errors: FieldError[];

  constructor(
    readonly status: number,
    readonly problem: ProblemDetails | undefined,
    fallbackDetail = '',
  ) {
    const code = typeof problem?.code === 'string' ? problem.code : `HTTP_${status}`;
    const detail = problem?.detail ?? problem?.title ?? fallbackDetail;
    super(`${status} ${code}: ${detail}`);
    this.code = code;
    this.detail = detail;
    this.errors = Array.isArray(problem?.errors) ? problem.errors : [];
  }
}

/** Every attempt failed on the network, timed out, or was answered 429/502/503/504 (docs/client.md, "Retry policy"). */
export class GatewayUnavailableError extends Error {
  override readonly name: string = 'GatewayUnavailableError';

  constructor(
    message: string,
    readonly attempts: number,
    /** The last attempt's failure: a transport error, or the GatewayProblemError of its answer. */
    override readonly cause: unknown,
  ) {
    super(message, { cause });
  }

  /** The status of the last answer, when the last attempt got one. */
  get status(): number | undefined {
    return this.cause instanceof GatewayProblemError ? this.cause.status : undefined;
  }
}

/** `waitFor` ran out of time before the job reached a final status; `job` is the last one seen. */
export class WaitTimeoutError extends Error {
  override readonly name: string = 'WaitTimeoutError';

  constructor(readonly job: Job) {
    super(`job ${job.id} is still ${job.status}`);
  }
}

/** An answer the client cannot read (not JSON where JSON was promised): a proxy in the way, or a wrong base URL. */
export class UnexpectedResponseError extends Error {
  override readonly name: string = 'UnexpectedResponseError';

  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
