import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join, resolve } from 'node:path';

export interface ConsoleAsset {
  body: Buffer;
  contentType: string;
  etag: string;
}

/** Repository-relative, so it is the same folder from `src/console/` (tests) and `dist/console/` (built). */
export const CONSOLE_ROOT = resolve(__dirname, '../../public/console');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** Files served from node_modules as console assets, by the package's own resolution: the console works offline (docs/console.md, "Dashboard"). */
export const VENDORED_ASSETS: Record<string, () => string> = {
  // chart.js exports no path to its UMD build, which sits beside the CommonJS entry it does export.
  'chart.umd.js': () => join(dirname(createRequire(__filename).resolve('chart.js')), 'chart.umd.js'),
};

function toAsset(body: Buffer, extension: string): ConsoleAsset {
  const contentType = CONTENT_TYPES[extension];
  if (!contentType) throw new Error(`Console asset type ${extension} has no content type`);
  return { body, contentType, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` };
}

/** Read once into memory: no request path can reach the file system (docs/console.md, "How it is served"). */
export function loadConsoleAssets(contextPath: string, root = CONSOLE_ROOT) {
  const html = readFileSync(join(root, 'index.html'), 'utf8').replaceAll('{{contextPath}}', contextPath);
  const page = toAsset(Buffer.from(html), '.html');
  const assets = new Map<string, ConsoleAsset>();
  for (const name of readdirSync(join(root, 'assets'))) {
    assets.set(name, toAsset(readFileSync(join(root, 'assets', name)), extname(name)));
  }
  for (const [name, path] of Object.entries(VENDORED_ASSETS)) {
    assets.set(name, toAsset(readFileSync(path()), extname(name)));
  }
  return { page, assets };
}
