import { setTimeout as sleep } from 'node:timers/promises';
import { ACTION, CONTRACT } from './cluster';

/** One HTTP attempt: a status, or the transport error that took its place. */
export interface Attempt {
  gateway: number;
  status?: number;
  error?: string;
  jobId?: string;
  replayed?: boolean;
}

export interface Submission {
  extIPID: string;
  attempts: Attempt[];
  /** The last attempt when it was a 201 or 409. */
  acknowledged?: { status: number; jobId: string };
}

export interface SubmitOptions {
  /** Gateway base URLs; attempt k of submission i goes to (i + k) mod n. */
  apis: string[];
  authorization: string;
  /** Per-attempt client timeout. */
  timeoutMs: number;
  /** Attempts per submission, the first included. */
  maxAttempts: number;
  /** A first attempt that may be abandoned early, as a client with a too-short timeout would. */
  firstAttemptTimeoutMs?: (extIPID: string, index: number) => number | undefined;
}

const transportError = (error: unknown): string => {
  const cause = (error as { cause?: { code?: string } }).cause;
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'client-timeout';
  return cause?.code ?? (error instanceof Error ? error.name : String(error));
};

export async function submitOnce(api: string, authorization: string, extIPID: string, timeoutMs: number): Promise<Omit<Attempt, 'gateway'>> {
  try {
    const response = await fetch(`${api}/job-manager/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body: JSON.stringify({ contractName: CONTRACT, actionName: ACTION, extIPID }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = (await response.json()) as { id?: string };
    return { status: response.status, jobId: body.id, replayed: response.headers.get('idempotent-replayed') === 'true' };
  } catch (error) {
    return { error: transportError(error) };
  }
}

/**
 * A well-behaved client: retries timeouts, transport errors and 503 with the same body and
 * extIPID (docs/idempotency.md, "How a client should retry"), moving to the next gateway each time.
 */
export async function submitWithRetries(extIPID: string, index: number, options: SubmitOptions): Promise<Submission> {
  const submission: Submission = { extIPID, attempts: [] };
  for (let attempt = 0; attempt < options.maxAttempts; attempt++) {
    const gateway = (index + attempt) % options.apis.length;
    const timeoutMs = (attempt === 0 ? options.firstAttemptTimeoutMs?.(extIPID, index) : undefined) ?? options.timeoutMs;
    const answer = await submitOnce(options.apis[gateway], options.authorization, extIPID, timeoutMs);
    submission.attempts.push({ gateway, ...answer });
    if ((answer.status === 201 || answer.status === 409) && answer.jobId) {
      submission.acknowledged = { status: answer.status, jobId: answer.jobId };
      return submission;
    }
    if (answer.status !== undefined && answer.status !== 503) return submission;
    await sleep(Math.random() * 50 * 2 ** attempt);
  }
  return submission;
}

/** Runs `work` over `items` with at most `concurrency` in flight. */
export async function inParallel<T, R>(items: T[], concurrency: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index], index);
      }
    }),
  );
  return results;
}
