import ts from 'typescript';
import { defineConfig, type Plugin } from 'vitest/config';

/**
 * Nest's dependency injection and class-validator read the `design:*` metadata that only the
 * TypeScript compiler emits (esbuild/oxc do not), so test sources go through `transpileModule`.
 */
function typescriptWithDecoratorMetadata(): Plugin {
  return {
    name: 'typescript-decorator-metadata',
    enforce: 'pre',
    transform(code, id) {
      if (!id.endsWith('.ts') || id.includes('/node_modules/')) return null;
      const output = ts.transpileModule(code, {
        fileName: id,
        compilerOptions: {
          target: ts.ScriptTarget.ES2023,
          module: ts.ModuleKind.ESNext,
          experimentalDecorators: true,
          emitDecoratorMetadata: true,
          sourceMap: true,
          inlineSources: true,
        },
      });
      return { code: output.outputText, map: output.sourceMapText };
    },
  };
}

export default defineConfig({
  plugins: [typescriptWithDecoratorMetadata()],
  oxc: false,
  test: {
    include: ['src/**/*.spec.ts', 'test/**/*.e2e-spec.ts'],
    exclude: ['test/reliability/**', 'test/browser/**', 'node_modules/**', 'dist/**'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    globalSetup: ['test/setup/global-setup.ts'],
    setupFiles: ['test/setup/conformance-check.ts'],
    reporters: ['default'],
  },
});
