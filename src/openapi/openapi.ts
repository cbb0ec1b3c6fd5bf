import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ProblemDto } from '../common/errors/problem.dto';
import { declareProblems } from './problem-responses';

export function buildOpenApiDocument(app: INestApplication, contextPath: string): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Ghibli job-submission gateway')
    .setDescription(
      'Idempotent job submission modelled on the Data One Job Manager API. Errors are RFC 9457 problem ' +
        'details (application/problem+json) with a stable `code`; every operation lists the codes it can answer.',
    )
    .setVersion('2')
    .addServer(contextPath)
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, 'apiKey')
    .addBasicAuth({ type: 'http', scheme: 'basic' }, 'basic')
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    ignoreGlobalPrefix: true,
    extraModels: [ProblemDto],
    // Method names are the operation ids a generated client shows (`submitJob`, `claimJobs`).
    operationIdFactory: (_controller, method) => method,
  });
  // package.json's licence: private, so no licence URL exists to point at (redocly.yaml says so too).
  document.info.license = { name: 'UNLICENSED' };
  return closeObjectSchemas(declareProblems(document));
}

/**
 * Every DTO is closed: request bodies because validation refuses unknown properties, responses because
 * the conformance test proves they carry no others. Maps declare `additionalProperties` themselves.
 */
function closeObjectSchemas(document: OpenAPIObject): OpenAPIObject {
  for (const schema of Object.values(document.components?.schemas ?? {})) {
    if ('properties' in schema && !('additionalProperties' in schema)) schema.additionalProperties = false;
  }
  return document;
}

/** Keys sorted recursively, so the committed docs/openapi.json diffs cleanly and deterministically. */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

export function serializeOpenApi(document: OpenAPIObject): string {
  return `${JSON.stringify(sortKeys(document), null, 2)}\n`;
}
