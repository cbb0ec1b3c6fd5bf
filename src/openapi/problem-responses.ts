import type { OpenAPIObject } from '@nestjs/swagger';
import type {
  HeaderObject,
  OperationObject,
  ParameterObject,
  ReferenceObject,
  ResponseObject,
} from '@nestjs/swagger';
import { REQUIRED_PERMISSION_EXTENSION } from '../auth/decorators';
import { PROBLEM_CODES_EXTENSION } from '../common/errors/api-problems';
import { ERROR_CODES, ErrorCode } from '../common/errors/error-codes';
import { PROBLEM_CONTENT_TYPE } from '../common/errors/problem-details';
import { CORRELATION_HEADER } from '../common/http/correlation-id';
import { RATE_LIMIT_EXTENSION } from '../common/rate-limit/rate-limit';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
const WITH_BODY = new Set<string>(['put', 'post', 'patch', 'delete']);

/** Any credential may be Basic, whose password check can be throttled or queued; credentials may need the database. */
const CREDENTIAL_CODES: ErrorCode[] = ['UNAUTHENTICATED', 'AUTH_THROTTLED', 'AUTH_BUSY', 'DATABASE_UNAVAILABLE'];
/** Fastify reads any body a POST, PUT, PATCH or DELETE carries, declared or not (docs/api.md, "Request bodies"). */
const BODY_CODES: ErrorCode[] = ['MALFORMED_REQUEST', 'UNSUPPORTED_MEDIA_TYPE', 'PAYLOAD_TOO_LARGE'];

const header = (description: string, schema: HeaderObject['schema']): HeaderObject => ({ description, schema });

export const CORRELATION_ID_HEADER = header('Echoes a valid X-Correlation-Id sent by the client, else a new one; logs carry it', {
  type: 'string',
});
const RETRY_AFTER_HEADER = header('Seconds to wait before retrying', { type: 'integer', minimum: 0 });

/** Headers an error status carries besides the correlation id. */
const STATUS_HEADERS: Partial<Record<number, Record<string, HeaderObject>>> = {
  401: {
    'WWW-Authenticate': header('The accepted schemes: Bearer, Basic and the X-API-Key header', { type: 'string' }),
  },
  429: { 'Retry-After': RETRY_AFTER_HEADER },
  503: { 'Retry-After': RETRY_AFTER_HEADER },
};

const pascalCase = (code: string) => code.toLowerCase().replace(/(^|_)([a-z])/g, (_match, _sep, letter: string) => letter.toUpperCase());

const isReference = (value: unknown): value is ReferenceObject => typeof value === 'object' && value !== null && '$ref' in value;

const extension = <T = unknown>(operation: OperationObject, name: `x-${string}`): T | undefined =>
  (operation as OperationObject & Record<`x-${string}`, T | undefined>)[name];

/** The codes an operation can answer: those its shape implies plus the ones its `@ApiProblems` names. */
export function problemCodesOf(method: string, operation: OperationObject): ErrorCode[] {
  const codes = new Set<ErrorCode>(extension<ErrorCode[]>(operation, PROBLEM_CODES_EXTENSION) ?? []);
  const add = (...more: ErrorCode[]) => more.forEach((code) => codes.add(code));
  if (operation.security?.some((requirement) => Object.keys(requirement).length > 0)) add(...CREDENTIAL_CODES);
  if (extension(operation, REQUIRED_PERMISSION_EXTENSION)) add('FORBIDDEN');
  if (extension(operation, RATE_LIMIT_EXTENSION)) add('RATE_LIMITED');
  if (WITH_BODY.has(method)) add(...BODY_CODES);
  const parameters = (operation.parameters ?? []).filter((parameter): parameter is ParameterObject => !isReference(parameter));
  if (operation.requestBody || parameters.some((parameter) => parameter.in === 'path' || parameter.in === 'query')) {
    add('VALIDATION_FAILED');
  }
  return [...codes];
}

function problemResponse(status: number, codes: ErrorCode[]): ResponseObject {
  return {
    description: codes.map((code) => `${code}: ${ERROR_CODES[code].title}`).join('; '),
    headers: { [CORRELATION_HEADER]: CORRELATION_ID_HEADER, ...STATUS_HEADERS[status] },
    content: {
      [PROBLEM_CONTENT_TYPE]: {
        schema: {
          allOf: [
            { $ref: '#/components/schemas/ProblemDto' },
            {
              type: 'object',
              properties: { status: { type: 'integer', enum: [status] }, code: { type: 'string', enum: codes.sort() } },
            },
          ],
        },
      },
    },
  };
}

/**
 * Completes every operation: one problem-details response per error status it can answer, with the
 * codes of that status; the correlation header on every response; `security: []` on public routes.
 */
export function declareProblems(document: OpenAPIObject): OpenAPIObject {
  const responses = (document.components ??= {}).responses ??= {};
  // Operations answering the same codes share one named response: `ForbiddenProblem`, `JobNotFoundProblem`.
  const shared = (status: number, codes: ErrorCode[]) => {
    const name = `${codes.sort().map(pascalCase).join('Or')}Problem`;
    responses[name] ??= problemResponse(status, codes);
    return name;
  };
  for (const item of Object.values(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!operation) continue;
      operation.security ??= [];
      // Public by a setting (metrics): credentials become optional, `{}` being the anonymous requirement.
      if (extension<{ publicWhen?: string }>(operation, REQUIRED_PERMISSION_EXTENSION)?.publicWhen) {
        operation.security.push({});
      }
      const byStatus = new Map<number, ErrorCode[]>();
      for (const code of problemCodesOf(method, operation)) {
        const status = ERROR_CODES[code].status;
        byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
      }
      for (const [status, codes] of byStatus) {
        if (operation.responses[status]) throw new Error(`${method} ${operation.operationId}: ${status} is declared twice`);
        operation.responses[status] = { $ref: `#/components/responses/${shared(status, codes)}` };
      }
      for (const response of Object.values(operation.responses)) {
        if (!response || isReference(response)) continue;
        response.headers = { [CORRELATION_HEADER]: CORRELATION_ID_HEADER, ...response.headers };
      }
    }
  }
  return document;
}
