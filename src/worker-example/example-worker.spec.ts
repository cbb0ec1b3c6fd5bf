import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ClaimedJob, JobContext } from '../worker-sdk';
import { createExampleHandler, ExampleWorkerSettings, readExampleWorkerSettings } from './example-worker';

describe('readExampleWorkerSettings', () => {
  it('has a default for everything but the credentials', () => {
    expect(readExampleWorkerSettings({ GATEWAY_API_KEY: 'k' })).toEqual({
      gatewayUrl: 'http://127.0.0.1:8080/ghibli-rest/v2',
      headers: { 'X-API-Key': 'k' },
      workerId: expect.stringMatching(/^example-.+-\d+$/),
      queues: ['imports', 'default'],
      concurrency: 2,
      leaseSeconds: undefined,
      workMs: 15_000,
      completionsFile: undefined,
      failEvery: undefined,
    });
  });

  it('reads every variable', () => {
    const settings = readExampleWorkerSettings({
      GATEWAY_URL: 'http://gateway:9000/ghibli-rest/v2',
      GATEWAY_USER: 'worker',
      GATEWAY_PASSWORD: 's3cret',
      WORKER_ID: 'w-7',
      WORKER_QUEUES: ' reports , ,billing',
      WORKER_CONCURRENCY: '4',
      WORKER_LEASE_SECONDS: '5',
      EXAMPLE_WORK_MS: '0',
      EXAMPLE_COMPLETIONS_FILE: '/tmp/completions.jsonl',
      EXAMPLE_FAIL_EVERY: '3',
    });
    expect(settings).toEqual({
      gatewayUrl: 'http://gateway:9000/ghibli-rest/v2',
      headers: { Authorization: `Basic ${Buffer.from('worker:s3cret').toString('base64')}` },
      workerId: 'w-7',
      queues: ['reports', 'billing'],
      concurrency: 4,
      leaseSeconds: 5,
      workMs: 0,
      completionsFile: '/tmp/completions.jsonl',
      failEvery: 3,
    });
  });

  it('refuses to run without credentials or with a bad number, naming the variable', () => {
    expect(() => readExampleWorkerSettings({})).toThrow(/GATEWAY_API_KEY/);
    expect(() => readExampleWorkerSettings({ GATEWAY_USER: 'only-a-user' })).toThrow(/GATEWAY_PASSWORD/);
    expect(() => readExampleWorkerSettings({ GATEWAY_API_KEY: 'k', WORKER_CONCURRENCY: 'two' })).toThrow(
      'Invalid configuration: WORKER_CONCURRENCY must be a whole number (got "two")',
    );
    expect(() => readExampleWorkerSettings({ GATEWAY_API_KEY: 'k', EXAMPLE_FAIL_EVERY: '0' })).toThrow(/EXAMPLE_FAIL_EVERY/);
    expect(() => readExampleWorkerSettings({ GATEWAY_API_KEY: 'k', WORKER_QUEUES: ' , ' })).toThrow(/WORKER_QUEUES/);
  });
});

describe('the example handler', () => {
  let directory: string | undefined;

  afterEach(() => {
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  function settings(overrides: Partial<ExampleWorkerSettings>): ExampleWorkerSettings {
    return { ...readExampleWorkerSettings({ GATEWAY_API_KEY: 'k', WORKER_ID: 'w-1', EXAMPLE_WORK_MS: '10' }), ...overrides };
  }

  function context(job: ClaimedJob, signal = new AbortController().signal): JobContext {
    return { job, signal, progress: vi.fn(), log: vi.fn() };
  }

  const job = { id: '12', execution: { number: 2 } } as ClaimedJob;

  it('works in steps and records the completion before it returns', async () => {
    directory = mkdtempSync(join(tmpdir(), 'example-worker-'));
    const completionsFile = join(directory, 'completions.jsonl');
    const jobContext = context(job);
    await createExampleHandler(settings({ completionsFile }))(job, jobContext);

    const [line] = readFileSync(completionsFile, 'utf8').trim().split('\n');
    expect(JSON.parse(line)).toEqual({ jobId: '12', workerId: 'w-1', attempt: 2, completedAt: expect.any(String) });
    expect(jobContext.progress).toHaveBeenLastCalledWith(100, 'step 5 of 5');
    expect(jobContext.log).toHaveBeenCalledTimes(5);
  });

  it('fails every Nth job it runs', async () => {
    const handler = createExampleHandler(settings({ failEvery: 2 }));
    await expect(handler(job, context(job))).resolves.toBeDefined();
    await expect(handler(job, context(job))).rejects.toThrow(/simulated failure/);
  });

  it('stops working when its signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('abort requested'));
    await expect(createExampleHandler(settings({}))(job, context(job, controller.signal))).rejects.toThrow();
  });
});
