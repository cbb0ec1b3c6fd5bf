import { HttpStatus } from '@nestjs/common';

/** Stable, machine-readable error codes: part of the API contract (docs/api.md lists them). */
export type ErrorCode =
  | 'VALIDATION_FAILED'
  | 'MALFORMED_REQUEST'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'CONFLICT'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'UNPROCESSABLE'
  | 'CONTRACT_NOT_FOUND'
  | 'ACTION_NOT_FOUND'
  | 'CONTRACT_DISABLED'
  | 'ACTION_DISABLED'
  | 'INVALID_CURSOR'
  | 'JOB_NOT_FOUND'
  | 'ILLEGAL_TRANSITION'
  | 'LEASE_LOST'
  | 'LOG_LIMIT_REACHED'
  | 'IDEMPOTENCY_MISMATCH'
  | 'IDEMPOTENCY_KEY_CONFLICT'
  | 'TOO_MANY_WAITERS'
  | 'RATE_LIMITED'
  | 'AUTH_THROTTLED'
  | 'AUTH_BUSY'
  | 'REQUEST_TIMEOUT'
  | 'HEADERS_TOO_LARGE'
  | 'DATABASE_UNAVAILABLE'
  | 'WEBHOOK_NOT_FOUND'
  | 'WEBHOOK_DELIVERY_NOT_FOUND'
  | 'WEBHOOK_URL_REFUSED'
  | 'INTERNAL_ERROR';

interface ErrorCodeSpec {
  status: HttpStatus | 431;
  title: string;
}

/** The one table from error code to HTTP. `satisfies` keeps it exhaustive at compile time. */
export const ERROR_CODES = {
  VALIDATION_FAILED: { status: HttpStatus.BAD_REQUEST, title: 'The request is not valid' },
  MALFORMED_REQUEST: { status: HttpStatus.BAD_REQUEST, title: 'The request could not be read' },
  UNAUTHENTICATED: { status: HttpStatus.UNAUTHORIZED, title: 'Authentication required' },
  FORBIDDEN: { status: HttpStatus.FORBIDDEN, title: 'Not allowed' },
  NOT_FOUND: { status: HttpStatus.NOT_FOUND, title: 'Not found' },
  METHOD_NOT_ALLOWED: { status: HttpStatus.METHOD_NOT_ALLOWED, title: 'Method not allowed' },
  CONFLICT: { status: HttpStatus.CONFLICT, title: 'Conflict' },
  PAYLOAD_TOO_LARGE: { status: HttpStatus.PAYLOAD_TOO_LARGE, title: 'Request body too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: HttpStatus.UNSUPPORTED_MEDIA_TYPE, title: 'Unsupported media type' },
  UNPROCESSABLE: { status: HttpStatus.UNPROCESSABLE_ENTITY, title: 'The request cannot be processed' },
  CONTRACT_NOT_FOUND: { status: HttpStatus.NOT_FOUND, title: 'Contract not found' },
  ACTION_NOT_FOUND: { status: HttpStatus.NOT_FOUND, title: 'Action not found' },
  CONTRACT_DISABLED: { status: HttpStatus.UNPROCESSABLE_ENTITY, title: 'Contract disabled' },
  ACTION_DISABLED: { status: HttpStatus.UNPROCESSABLE_ENTITY, title: 'Action disabled' },
  ILLEGAL_TRANSITION: { status: HttpStatus.CONFLICT, title: 'Not allowed in the job\'s current status' },
  LEASE_LOST: { status: HttpStatus.CONFLICT, title: 'The lease on this job is not yours' },
  LOG_LIMIT_REACHED: { status: HttpStatus.UNPROCESSABLE_ENTITY, title: 'The job has reached its log limit' },
  JOB_NOT_FOUND: { status: HttpStatus.NOT_FOUND, title: 'Job not found' },
  IDEMPOTENCY_MISMATCH: { status: HttpStatus.UNPROCESSABLE_ENTITY, title: 'The key was used with other variables' },
  IDEMPOTENCY_KEY_CONFLICT: { status: HttpStatus.BAD_REQUEST, title: 'Idempotency-Key and extIPID differ' },
  TOO_MANY_WAITERS: { status: HttpStatus.TOO_MANY_REQUESTS, title: 'Too many requests are waiting for jobs' },
  INVALID_CURSOR: { status: HttpStatus.BAD_REQUEST, title: 'Invalid paging cursor' },
  RATE_LIMITED: { status: HttpStatus.TOO_MANY_REQUESTS, title: 'Too many requests' },
  AUTH_THROTTLED: { status: HttpStatus.TOO_MANY_REQUESTS, title: 'Too many failed sign-in attempts' },
  AUTH_BUSY: { status: HttpStatus.SERVICE_UNAVAILABLE, title: 'Too many password checks waiting' },
  REQUEST_TIMEOUT: { status: HttpStatus.REQUEST_TIMEOUT, title: 'The request took too long to arrive' },
  HEADERS_TOO_LARGE: { status: 431, title: 'Request headers too large' },
  DATABASE_UNAVAILABLE: { status: HttpStatus.SERVICE_UNAVAILABLE, title: 'The database is unavailable' },
  WEBHOOK_NOT_FOUND: { status: HttpStatus.NOT_FOUND, title: 'Webhook not found' },
  WEBHOOK_DELIVERY_NOT_FOUND: { status: HttpStatus.NOT_FOUND, title: 'Webhook delivery not found' },
  WEBHOOK_URL_REFUSED: { status: HttpStatus.UNPROCESSABLE_ENTITY, title: 'The webhook URL is not reachable or not allowed' },
  INTERNAL_ERROR: { status: HttpStatus.INTERNAL_SERVER_ERROR, title: 'Internal server error' },
} as const satisfies Record<ErrorCode, ErrorCodeSpec>;

export function errorCodeForStatus(status: number): ErrorCode {
  switch (status) {
    case 400:
      return 'MALFORMED_REQUEST';
    case 401:
      return 'UNAUTHENTICATED';
    case 403:
      return 'FORBIDDEN';
    case 404:
      return 'NOT_FOUND';
    case 405:
      return 'METHOD_NOT_ALLOWED';
    case 409:
      return 'CONFLICT';
    case 413:
      return 'PAYLOAD_TOO_LARGE';
    case 408:
      return 'REQUEST_TIMEOUT';
    case 415:
      return 'UNSUPPORTED_MEDIA_TYPE';
    case 422:
      return 'UNPROCESSABLE';
    case 429:
      return 'RATE_LIMITED';
    case 431:
      return 'HEADERS_TOO_LARGE';
    case 503:
      return 'DATABASE_UNAVAILABLE';
    default:
      return status >= 400 && status < 500 ? 'MALFORMED_REQUEST' : 'INTERNAL_ERROR';
  }
}
