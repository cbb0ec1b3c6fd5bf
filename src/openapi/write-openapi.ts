import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from '../app.module';
import { configureApp, createHttpAdapter } from '../app.setup';
import { loadAppConfig } from '../config/app-config';
import { createLogger } from '../common/logging/logger';
import { buildOpenApiDocument, serializeOpenApi } from './openapi';

/** `npm run openapi`: regenerates docs/openapi.json from the code, on a throw-away in-memory database. */
async function main() {
  const config = loadAppConfig({ DATABASE_URL: 'sqlite::memory:', LOG_LEVEL: 'warn', LOG_FORMAT: 'json' });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), createHttpAdapter(config), {
    logger: false,
  });
  configureApp(app, config, createLogger(config));
  await app.init();
  const target = resolve(__dirname, '../../docs/openapi.json');
  writeFileSync(target, serializeOpenApi(buildOpenApiDocument(app, config.http.contextPath)));
  await app.close();
  console.log(`Wrote ${target}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
