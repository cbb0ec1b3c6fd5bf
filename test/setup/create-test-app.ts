import 'reflect-metadata';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import pino, { type Logger } from 'pino';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { configureApp, createHttpAdapter } from '../../src/app.setup';
import { AppConfig, loadAppConfig } from '../../src/config/app-config';
import { TEST_BASE_ENV } from './auth';
import { createTestDatabase, TestDatabase } from './test-database';
import { recordConformance } from './conformance';

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  database: TestDatabase;
  dataSource: DataSource;
  /** The HTTP server for supertest: `request(t.server)`. */
  server: ReturnType<NestFastifyApplication['getHttpServer']>;
  /** Listens on a free loopback port and answers the base URL (up to the context path). */
  listen(): Promise<string>;
  /** Path under the context path: `t.path('/health')`. */
  path(relative: string): string;
  close(): Promise<void>;
}

/**
 * Boots the real application (same configureApp as main.ts) on a fresh database. Pass
 * `database` to start a second instance on the same database, as a second gateway process would.
 */
export async function createTestApp(
  options: { env?: Record<string, string>; database?: TestDatabase; logger?: Logger } = {},
): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase());
  const config = loadAppConfig(
    {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      LOG_FORMAT: 'json',
      DATABASE_URL: database.url,
      ...TEST_BASE_ENV,
      ...options.env,
    },
    '.env.test-does-not-exist',
  );
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config)] }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createHttpAdapter(config), { logger: false });
  configureApp(app, config, options.logger ?? pino({ level: 'silent' }));
  recordConformance(app.getHttpAdapter().getInstance(), config.http.contextPath);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const ownsDatabase = !options.database;
  return {
    app,
    config,
    database,
    dataSource: app.get(DataSource),
    server: app.getHttpServer(),
    path: (relative) => `${config.http.contextPath}${relative}`,
    listen: async () => {
      await app.listen(0, '127.0.0.1');
      return `${await app.getUrl()}${config.http.contextPath}`.replace('[::1]', '127.0.0.1');
    },
    close: async () => {
      await app.close();
      if (ownsDatabase) await database.drop();
    },
  };
}
