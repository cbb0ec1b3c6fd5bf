import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { startGateway, Gateway } from './processes';

export const JWT_SECRET = 'reliability-suite-hs256-secret-of-at-least-32-chars';
export const CONTRACT = 'reliability';
export const ACTION = 'run';
export const QUEUE = 'reliability';

/**
 * The one contract the scenarios submit to. maxAttempts is high so that killed workers never push
 * a job to ERROR: the worker-death scenario is about re-claiming, not about giving up.
 */
const CONTRACTS = {
  contracts: [
    {
      name: CONTRACT,
      type: 'INPUT',
      actor: 'RELIABILITY',
      actions: [
        {
          name: ACTION,
          queue: QUEUE,
          maxAttempts: 20,
          workflowTemplate: { id: '1', name: 'reliability', revision: '1' },
          variables: [{ name: 'n', type: 'integer' }],
        },
      ],
    },
  ],
};

export async function bearer(sub: string, roles: string[]): Promise<string> {
  const token = await new SignJWT({ roles })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime('30m')
    .sign(new TextEncoder().encode(JWT_SECRET));
  return `Bearer ${token}`;
}

const folders: string[] = [];
let keepFolders = false;

/** A temp folder for a scenario's logs and files: removed after a green file, kept after a failure. */
export function scenarioFolder(scenario: string): string {
  const folder = mkdtempSync(join(tmpdir(), `gateway-reliability-${scenario}-`));
  folders.push(folder);
  return folder;
}

export function keepScenarioFolders(): void {
  if (!keepFolders) console.error(`reliability: logs kept in ${folders.join(', ')}`);
  keepFolders = true;
}

export function removeScenarioFolders(): void {
  if (keepFolders) return;
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
}

/**
 * `count` gateway processes on one database, started together: migrations run under a database
 * lock, and only the first applies the contracts file.
 */
export async function startGateways(
  count: number,
  dir: string,
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<Gateway[]> {
  const contractsFile = join(dir, 'contracts.json');
  writeFileSync(contractsFile, JSON.stringify(CONTRACTS));
  const common = { DATABASE_URL: databaseUrl, AUTH_JWT_SECRET: JWT_SECRET, ...env };
  return Promise.all(
    Array.from({ length: count }, (_, index) =>
      startGateway(`gateway-${index + 1}`, dir, { ...common, CONTRACTS_FILE: index === 0 ? contractsFile : 'none' }),
    ),
  );
}

/** An API key with the Workers role, created through the admin API as an operator would. */
export async function createWorkerKey(gateway: Gateway): Promise<string> {
  const response = await fetch(`${gateway.api}/admin/api-keys`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: await bearer('reliability-admin', ['Administrators']) },
    body: JSON.stringify({ principal: 'reliability-worker', roles: ['Workers'] }),
  });
  if (response.status !== 201) throw new Error(`creating a worker key answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { key: string }).key;
}
