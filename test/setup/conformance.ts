import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * Response conformance: every answer the e2e suites receive from an in-process gateway is checked
 * against docs/openapi.json (status declared, body matches its schema, headers declared).
 * Violations are collected here and fail the test file that caused them (test/setup/conformance-check.ts).
 */

interface Schema {
  [key: string]: unknown;
}
interface Response {
  $ref?: string;
  headers?: Record<string, unknown>;
  content?: Record<string, { schema?: Schema }>;
}
interface Operation {
  responses: Record<string, Response>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema>; responses: Record<string, Response> };
}

const document = JSON.parse(readFileSync(resolve(__dirname, '../../docs/openapi.json'), 'utf8')) as Document;
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ components: document.components }, 'openapi');

// Headers this gateway sets on purpose; each must be declared on the response that carries it.
const API_HEADERS = ['x-correlation-id', 'location', 'idempotent-replayed', 'idempotency-mismatch', 'retry-after', 'www-authenticate'];
// Routes the document leaves out on purpose: the console's HTML and assets, and Swagger UI.
const UNDOCUMENTED = [/^\/console(\/|$)/, /^\/docs(\/|-json$|-yaml$|$)/];

export interface Violation {
  request: string;
  status: number;
  problem: string;
}

export const violations: Violation[] = [];

/** For the rare test that provokes an undeclared answer on purpose (a 500 from a broken database): forget it. */
export function discardViolations(matches: (violation: Violation) => boolean): void {
  for (let index = violations.length - 1; index >= 0; index--) if (matches(violations[index])) violations.splice(index, 1);
}
const validators = new Map<string, ValidateFunction>();

function rewriteRefs(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(rewriteRefs);
  if (schema && typeof schema === 'object') {
    return Object.fromEntries(
      Object.entries(schema).map(([key, value]) => [key, key === '$ref' ? `openapi${value as string}` : rewriteRefs(value)]),
    );
  }
  return schema;
}

function validatorFor(key: string, schema: Schema): ValidateFunction {
  let validate = validators.get(key);
  if (!validate) {
    validate = ajv.compile(rewriteRefs(schema) as Schema);
    validators.set(key, validate);
  }
  return validate;
}

const resolveResponse = (response: Response): Response =>
  response.$ref ? document.components.responses[response.$ref.split('/').pop()!] : response;

const PROBLEM_SCHEMA: Schema = { $ref: '#/components/schemas/ProblemDto' };

function checkBody(key: string, schema: Schema | undefined, payload: unknown, report: (problem: string) => void): void {
  if (!schema || typeof payload !== 'string') return;
  let body: unknown;
  try {
    body = JSON.parse(payload);
  } catch {
    report('the body is not JSON');
    return;
  }
  const validate = validatorFor(key, schema);
  if (!validate(body)) report(`body: ${ajv.errorsText(validate.errors, { dataVar: 'body' })}`);
}

/** Checks one answer; `route` is Fastify's route pattern without the context path, or undefined when none matched. */
export function checkResponse(
  method: string,
  route: string | undefined,
  url: string,
  status: number,
  headers: Record<string, unknown>,
  payload: unknown,
): void {
  const report = (problem: string) => violations.push({ request: `${method} ${url}`, status, problem });
  const type = String(headers['content-type'] ?? '').split(';')[0];
  const path = route?.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
  const operation = path && document.paths[path]?.[method.toLowerCase()];
  if (!operation) {
    // Unrouted answers (unknown path, 405, refused request) must still be problem details.
    if (status >= 400) {
      if (type !== 'application/problem+json') report(`an unrouted ${status} answered ${type || 'no content type'}`);
      else checkBody('unrouted', PROBLEM_SCHEMA, payload, report);
    }
    return;
  }
  const declared = operation.responses[String(status)];
  if (!declared) {
    report(`${method} ${path} does not declare ${status} (declared: ${Object.keys(operation.responses).join(', ')})`);
    return;
  }
  const response = resolveResponse(declared);
  const declaredHeaders = new Set(Object.keys(response.headers ?? {}).map((name) => name.toLowerCase()));
  for (const name of API_HEADERS) {
    if (headers[name] !== undefined && !declaredHeaders.has(name)) report(`header ${name} is not declared`);
  }
  if (status === 204 || payload === undefined || payload === '') return;
  const content = response.content ?? {};
  // A declared media type may carry parameters (`text/plain; version=0.0.4; charset=utf-8` on /metrics).
  const key = Object.keys(content).find((declared) => declared.split(';')[0].trim().toLowerCase() === type.toLowerCase());
  if (!key) {
    report(`content type ${type || 'none'} is not declared (declared: ${Object.keys(content).join(', ') || 'no body'})`);
    return;
  }
  if (type.endsWith('json')) checkBody(`${method} ${path} ${status} ${type}`, content[key].schema, payload, report);
}

/** Records every answer of `fastify`; HEAD and OPTIONS are the framework's, not the document's. */
export function recordConformance(fastify: FastifyInstance, contextPath: string): void {
  fastify.addHook('onSend', (request: FastifyRequest, reply: FastifyReply, payload: unknown, done) => {
    const url = request.url.split('?')[0];
    const relative = url.startsWith(contextPath) ? url.slice(contextPath.length) || '/' : undefined;
    if (relative !== undefined && request.method !== 'HEAD' && request.method !== 'OPTIONS' && !UNDOCUMENTED.some((re) => re.test(relative))) {
      const route = request.is404 ? undefined : request.routeOptions.url?.slice(contextPath.length);
      try {
        checkResponse(request.method, route, url, reply.statusCode, reply.getHeaders(), payload);
      } catch (error) {
        // A schema ajv cannot compile is the document's fault, never the answer's.
        violations.push({ request: `${request.method} ${url}`, status: reply.statusCode, problem: `unverifiable: ${String(error)}` });
      }
    }
    done(null, payload);
  });
}
