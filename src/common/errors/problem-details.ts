import { HttpException } from '@nestjs/common';
import { isDatabaseUnavailable } from '../../database/database-errors';
import { DomainError, FieldError } from './domain-error';
import { ERROR_CODES, ErrorCode, errorCodeForStatus } from './error-codes';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: ErrorCode;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export interface RenderedProblem {
  body: ProblemDetails;
  headers: Record<string, string>;
  unexpected: boolean;
}

export function problemType(code: ErrorCode): string {
  return `urn:ghibli-gateway:problem:${code.toLowerCase().replace(/_/g, '-')}`;
}

function build(
  code: ErrorCode,
  detail: string,
  instance: string,
  extra: Partial<ProblemDetails> = {},
): ProblemDetails {
  const spec = ERROR_CODES[code];
  return { type: problemType(code), title: spec.title, status: spec.status, detail, instance, code, ...extra };
}

/** Fastify's own errors (body parsing, limits) carry a numeric statusCode and an FST_ code. */
function fastifyStatus(error: unknown): number | undefined {
  const candidate = error as { statusCode?: unknown; code?: unknown };
  if (typeof candidate?.statusCode !== 'number') return undefined;
  return typeof candidate.code === 'string' && candidate.code.startsWith('FST_') ? candidate.statusCode : undefined;
}

export function renderProblem(error: unknown, instance: string, retryAfterSeconds: number): RenderedProblem {
  if (error instanceof DomainError) {
    const body = build(error.code, error.detail, instance, {
      ...(error.options.errors ? { errors: error.options.errors } : {}),
      ...error.options.extensions,
    });
    const headers = { ...error.options.headers };
    if (error.code === 'DATABASE_UNAVAILABLE') headers['Retry-After'] = String(retryAfterSeconds);
    return { body, headers, unexpected: false };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const code = errorCodeForStatus(status);
    const response = error.getResponse();
    const detail =
      typeof response === 'object' && response && 'message' in response && typeof response.message === 'string'
        ? response.message
        : error.message;
    return { body: build(code, detail, instance, { status }), headers: {}, unexpected: status >= 500 };
  }
  const status = fastifyStatus(error);
  if (status !== undefined && status < 500) {
    const detail = (error as Error).message;
    return { body: build(errorCodeForStatus(status), detail, instance, { status }), headers: {}, unexpected: false };
  }
  if (isDatabaseUnavailable(error)) {
    return {
      body: build('DATABASE_UNAVAILABLE', 'The database cannot be reached right now; retry later.', instance),
      headers: { 'Retry-After': String(retryAfterSeconds) },
      unexpected: false,
    };
  }
  return {
    body: build('INTERNAL_ERROR', 'An unexpected error occurred; it has been logged.', instance),
    headers: {},
    unexpected: true,
  };
}
