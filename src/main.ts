import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import { configureApp, createHttpAdapter } from './app.setup';
import { AppConfig, loadAppConfig } from './config/app-config';
import { BootstrapAdmin } from './auth/bootstrap-admin';
import { createLogger, NestPinoLogger } from './common/logging/logger';
import { startBanner } from './start-banner';

function readConfig(): AppConfig {
  try {
    return loadAppConfig();
  } catch (error) {
    // One line that names the variable: the process must not start on a bad configuration.
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}

async function bootstrap() {
  const config = readConfig();
  const logger = createLogger(config);
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), createHttpAdapter(config), {
    logger: new NestPinoLogger(logger),
    abortOnError: false,
  });
  configureApp(app, config, logger);
  registerShutdown(app, config, logger);
  await app.listen(config.http.port, config.http.host);

  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.http.port;
  const shownHost = ['0.0.0.0', '::'].includes(config.http.host) ? 'localhost' : config.http.host;
  const base = `http://${shownHost}:${port}${config.http.contextPath}`;
  const urls = { api: base, docs: `${base}/docs`, console: `${base}/console`, health: `${base}/health`, metrics: `${base}/metrics` };
  logger.info({ ...urls, database: config.database.target.dialect }, `Gateway ready: API at ${base}`);
  // Not through the logger: the first credential is shown once on the console, never in collected logs.
  process.stdout.write(startBanner(urls, databaseName(config), app.get(BootstrapAdmin).createdCredential, config.log.pretty));
}

function databaseName(config: AppConfig): string {
  const target = config.database.target;
  return target.dialect === 'sqlite' ? `SQLite ${target.file}` : `MySQL/MariaDB database ${target.database}`;
}

/** SIGTERM/SIGINT: stop accepting, let in-flight requests finish, close the pool; bounded in time. */
function registerShutdown(app: NestFastifyApplication, config: AppConfig, logger: ReturnType<typeof createLogger>) {
  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    setTimeout(() => {
      logger.error({ timeoutMs: config.http.shutdownTimeoutMs }, 'shutdown timed out; exiting');
      process.exit(1);
    }, config.http.shutdownTimeoutMs).unref();
    app
      .close()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        logger.error({ err: error }, 'error during shutdown');
        process.exit(1);
      });
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

bootstrap().catch((error: unknown) => {
  console.error(`Gateway failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
