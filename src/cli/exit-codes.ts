import { CommanderError } from 'commander';
import { GatewayProblemError, GatewayUnavailableError, UnexpectedResponseError } from '../client';

/** The exit codes of `ghibli` (docs/client.md, "Exit codes"); scripts depend on them. */
export const EXIT = {
  OK: 0,
  JOB_FAILED: 1,
  USAGE: 2,
  AUTH: 3,
  NOT_FOUND: 4,
  UNAVAILABLE: 5,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A mistake in the command line itself, found before any request. */
export class UsageError extends Error {
  override readonly name: string = 'UsageError';
}

export function exitCodeFor(error: unknown): ExitCode {
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
  if (error instanceof UsageError) return EXIT.USAGE;
  if (error instanceof GatewayUnavailableError || error instanceof UnexpectedResponseError) return EXIT.UNAVAILABLE;
  if (!(error instanceof GatewayProblemError)) return isTransportError(error) ? EXIT.UNAVAILABLE : EXIT.JOB_FAILED;
  if (error.status === 401 || error.status === 403) return EXIT.AUTH;
  if (error.status === 404) return EXIT.NOT_FOUND;
  return error.status >= 500 || error.status === 429 ? EXIT.UNAVAILABLE : EXIT.USAGE;
}

/** A transport failure that was not retried (a control command whose connection dropped). */
function isTransportError(error: unknown): boolean {
  return error instanceof TypeError && error.message === 'fetch failed';
}
