// `npm install` / `npm ci` in a clone end by building dist/, so `npx ghibli` works at once (docs/client.md, "The command line").
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
try {
  require.resolve('typescript');
} catch {
  // An install without dev dependencies (a production image) builds elsewhere.
  console.log('prepare: TypeScript is not installed, dist/ is not built');
  process.exit(0);
}
const build = spawnSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
process.exit(build.status ?? 1);
