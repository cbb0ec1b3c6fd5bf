import { readFile } from 'node:fs/promises';
import { InvalidArgumentError } from 'commander';
import { Credentials, GhibliClient } from '../client';
import type { CliIo } from './cli-io';
import { UsageError } from './exit-codes';

export const DEFAULT_URL = 'http://localhost:8080/ghibli-rest/v2';

export interface ConnectionFlags {
  url?: string;
  token?: string;
  apiKey?: string;
  user?: string;
  password?: string;
}

/** Flags win over GHIBLI_* variables; a token over an API key over a user name (docs/client.md, "Connection"). */
export function clientFor(flags: ConnectionFlags, io: CliIo, maxAttempts?: number): GhibliClient {
  const env = io.env;
  const token = flags.token ?? env.GHIBLI_TOKEN;
  const apiKey = flags.apiKey ?? env.GHIBLI_API_KEY;
  const user = flags.user ?? env.GHIBLI_USER;
  const password = flags.password ?? env.GHIBLI_PASSWORD;
  let auth: Credentials | undefined;
  if (token) auth = { token };
  else if (apiKey) auth = { apiKey };
  else if (user) {
    if (password === undefined) throw new UsageError('a user name needs a password: --password or GHIBLI_PASSWORD');
    auth = { username: user, password };
  }
  return new GhibliClient({ baseUrl: flags.url ?? env.GHIBLI_URL ?? DEFAULT_URL, auth, fetch: io.fetch, retry: maxAttempts ? { maxAttempts } : {} });
}

/** `--var k=v`, repeatable; a value that reads as JSON is taken as JSON (`n=5`, `dry=true`), anything else as a string. */
export function collectVariable(text: string, previous: Record<string, unknown> = {}): Record<string, unknown> {
  const equals = text.indexOf('=');
  if (equals < 1) throw new InvalidArgumentError(`expected name=value, got "${text}"`);
  return { ...previous, [text.slice(0, equals)]: jsonOrString(text.slice(equals + 1)) };
}

function jsonOrString(value: string): unknown {
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

/** The variables of `--vars-file` (a JSON object), overridden by each `--var`. */
export async function actionVariables(options: { varsFile?: string; var?: Record<string, unknown> }): Promise<Record<string, unknown> | undefined> {
  let fromFile: Record<string, unknown> = {};
  if (options.varsFile !== undefined) {
    const text = await readFile(options.varsFile, 'utf8').catch((error: Error) => {
      throw new UsageError(`cannot read --vars-file: ${error.message}`);
    });
    const parsed = jsonOrString(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new UsageError(`--vars-file ${options.varsFile} must hold a JSON object`);
    fromFile = parsed as Record<string, unknown>;
  }
  if (options.varsFile === undefined && options.var === undefined) return undefined;
  return { ...fromFile, ...options.var };
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `90s`, `15m`, `1h30m`, `2d`, `1w`: a duration in milliseconds. */
export function parseDuration(text: string): number {
  const parts = [...text.matchAll(/(\d+)([smhdw])/g)];
  if (parts.length === 0 || parts.map((part) => part[0]).join('') !== text) {
    throw new InvalidArgumentError(`expected a duration such as 30s, 15m, 1h30m, 2d, got "${text}"`);
  }
  return parts.reduce((total, [, count, unit]) => total + Number(count) * UNIT_MS[unit], 0);
}

/** `--since 1h` → the ISO instant an hour ago, for `createdAtFrom`. */
export function sinceInstant(text: string, now = Date.now()): string {
  return new Date(now - parseDuration(text)).toISOString();
}

export function positiveInteger(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1) throw new InvalidArgumentError(`expected a positive integer, got "${text}"`);
  return value;
}
