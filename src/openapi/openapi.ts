import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

export function buildOpenApiDocument(app: INestApplication, contextPath: string): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Ghibli job-submission gateway')
    .setDescription(
      'Idempotent job submission modelled on the Data One Job Manager API. Errors are RFC 9457 problem ' +
        'details (application/problem+json) with a stable `code`.',
    )
    .setVersion('2')
    .addServer(contextPath)
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, 'apiKey')
    .addBasicAuth({ type: 'http', scheme: 'basic' }, 'basic')
    .build();
  return SwaggerModule.createDocument(app, config, { ignoreGlobalPrefix: true });
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
