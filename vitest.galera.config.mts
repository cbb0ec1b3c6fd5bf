import { defineConfig } from 'vitest/config';
import base from './vitest.config.mts';

/**
 * `npm run test:galera`: gateways against a private 3-node MariaDB Galera cluster on loopback
 * (docs/galera.md, "Tests and figures"). One file at a time: each file starts its own cluster.
 */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['test/galera/**/*.galera-spec.ts'],
    exclude: ['node_modules/**', 'dist/**'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
    globalSetup: ['test/galera/global-setup.ts'],
    setupFiles: [],
  },
});
