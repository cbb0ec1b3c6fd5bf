import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

/** The oldest Node the README promises; package.json `overrides` pin the few packages that would refuse it. */
const OLDEST_SUPPORTED_NODE = '20.19.0';
const ROOT = resolve(__dirname, '..');

interface PackageManifest {
  name?: string;
  version?: string;
  engines?: { node?: unknown };
}

const readManifest = (dir: string): PackageManifest =>
  JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageManifest;

/** The range npm checks for EBADENGINE: `engines.node` when it is a string (old packages list an array, which npm ignores). */
const nodeRangeOf = (manifest: PackageManifest): string | undefined =>
  typeof manifest.engines?.node === 'string' ? manifest.engines.node : undefined;

/** npm's own test (npm-install-checks): prereleases count, so a nightly Node is judged by its version. */
const accepts = (range: string, version: string): boolean =>
  semver.satisfies(version, range, { includePrerelease: true });

/** Installed packages of package-lock.json only, so fixtures nested inside packages are not read. */
function installedPackageDirs(): string[] {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { link?: boolean }>;
  };
  return Object.entries(lock.packages)
    .filter(([path, entry]) => path !== '' && !entry.link)
    .map(([path]) => join(ROOT, path))
    .filter((dir) => existsSync(join(dir, 'package.json'))); // optional packages of other platforms are absent
}

describe('declared Node engines', () => {
  const versions = [OLDEST_SUPPORTED_NODE, process.version];

  it("package.json's engines start at the oldest supported Node, which the README names", () => {
    const range = nodeRangeOf(readManifest(ROOT));
    expect(range).toBeDefined();
    expect(semver.minVersion(range!)?.version).toBe(OLDEST_SUPPORTED_NODE);
    for (const version of versions) expect(accepts(range!, version), `${range} accepts ${version}`).toBe(true);
    const [major, minor] = OLDEST_SUPPORTED_NODE.split('.');
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain(`Node.js ${major}.${minor} or newer is required`);
  });

  it(`every installed package accepts Node ${OLDEST_SUPPORTED_NODE} and the running ${process.version}`, () => {
    const dirs = installedPackageDirs();
    expect(dirs.length).toBeGreaterThan(100);
    const refusals: string[] = [];
    for (const dir of dirs) {
      const manifest = readManifest(dir);
      const range = nodeRangeOf(manifest);
      if (range === undefined) continue;
      for (const version of versions.filter((v) => !accepts(range, v))) {
        refusals.push(`${manifest.name}@${manifest.version} (${dir.slice(ROOT.length + 1)}) wants node ${range}, not ${version}`);
      }
    }
    expect(refusals).toEqual([]);
  });
});
