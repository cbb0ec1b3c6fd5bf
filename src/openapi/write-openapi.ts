import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from '../app.module';
import { configureApp, createHttpAdapter } from '../app.setup';
import { loadAppConfig } from '../config/app-config';
import { createLogger } from '../common/logging/logger';
import { API_TYPES_FILE, generateApiTypes } from './api-types';
import { buildOpenApiDocument, serializeOpenApi } from './openapi';

/**
 * `npm run openapi`: regenerates docs/openapi.json from the code, on a throw-away in-memory database, then
 * the TypeScript types of that document (src/api-types/openapi.ts) that the worker SDK and examples/ use.
 */
async function main() {
  const config = loadAppConfig({ DATABASE_URL: 'sqlite::memory:', LOG_LEVEL: 'warn', LOG_FORMAT: 'json' });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), createHttpAdapter(config), {
    logger: false,
  });
  configureApp(app, config, createLogger(config));
  await app.init();
  const root = resolve(__dirname, '../..');
  const documentFile = resolve(root, 'docs/openapi.json');
  const document = serializeOpenApi(buildOpenApiDocument(app, config.http.contextPath));
  await app.close();
  writeFileSync(documentFile, document);
  console.log(`Wrote ${documentFile}`);
  const typesFile = resolve(root, API_TYPES_FILE);
  writeFileSync(typesFile, await generateApiTypes(document));
  console.log(`Wrote ${typesFile}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
