import { defineConfig } from 'vitest/config';
import base from './vitest.config.mts';

/**
 * `npm run test:reliability`: multi-process fault scenarios against the built gateway (dist/).
 * One file at a time: each starts several gateways, workers and sometimes a MariaDB server, which
 * is all a 2-core machine can take.
 */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['test/reliability/**/*.reliability-spec.ts'],
    exclude: ['node_modules/**', 'dist/**'],
    fileParallelism: false,
    testTimeout: 150_000,
    hookTimeout: 120_000,
    globalSetup: ['test/reliability/global-setup.ts'],
    setupFiles: ['test/reliability/setup-logs.ts'],
  },
});
