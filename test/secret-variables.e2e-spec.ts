import pino from 'pino';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOG_REDACT, LOG_SERIALIZERS } from '../src/common/logging/logger';
import { asAdmin, Headers, withRoles } from './setup/auth';
import { discardViolations } from './setup/conformance';
import { contractBody, putContract } from './setup/contracts';
import { createTestApp, TestApp } from './setup/create-test-app';
import { submit } from './setup/jobs';
import { claim, workerCall } from './setup/workers';

const SECRET = 'sk_live_do-not-leak-4242';

describe('secret variables (docs/contracts.md, "Secret variables")', () => {
  let t: TestApp;
  let admin: Headers;
  let worker: Headers;
  const lines: string[] = [];

  beforeAll(async () => {
    const logger = pino({ level: 'info', redact: LOG_REDACT, serializers: LOG_SERIALIZERS }, { write: (line: string) => lines.push(line) });
    t = await createTestApp({ logger, env: { REAPER_INTERVAL_MS: '0' } });
    admin = await withRoles('integrator', ['Administrators']);
    worker = await withRoles('w', ['Workers']);
    await putContract(
      t,
      'billing',
      contractBody({
        actions: [
          {
            name: 'charge',
            queue: 'billing',
            workflowTemplate: { id: '1', name: 'charge', revision: '1' },
            variables: [
              { name: 'account', type: 'string', required: true },
              { name: 'apiToken', type: 'string', required: true, secret: true },
            ],
          },
        ],
      }),
    );
  });

  afterAll(async () => {
    await t.close();
  });

  const charge = (extIPID: string, apiToken = SECRET) =>
    submit(t, admin, { contractName: 'billing', actionName: 'charge', extIPID, actionVariables: { account: 'A-1', apiToken } });

  it('masks the value in the submit answer, the job, the list and the 409 answer', async () => {
    const created = await charge('secret-1').expect(201);
    expect(created.body.actionVariables).toEqual({ account: 'A-1', apiToken: '***' });
    const job = await request(t.server).get(t.path(`/job-manager/jobs/${created.body.id}`)).set(asAdmin()).expect(200);
    expect(job.body.actionVariables.apiToken).toBe('***');
    const list = await request(t.server).get(t.path('/job-manager/jobs')).query({ contract: 'billing' }).set(asAdmin()).expect(200);
    expect(JSON.stringify(list.body)).not.toContain(SECRET);
    const duplicate = await charge('secret-1').expect(409);
    expect(duplicate.body.actionVariables.apiToken).toBe('***');
    expect(duplicate.headers['idempotency-mismatch']).toBeUndefined();
  });

  it('compares the real values for the duplicate check', async () => {
    await charge('secret-2').expect(201);
    const other = await charge('secret-2', 'another-token').expect(409);
    expect(other.headers['idempotency-mismatch']).toBe('actionVariables');
    expect(other.body.actionVariables.apiToken).toBe('***');
  });

  it('hands the value only to the worker in the claim answer, and masks it after', async () => {
    await charge('secret-3').expect(201);
    const claimed = await claim(t, worker, { queues: ['billing'], maxJobs: 10 });
    expect(claimed.length).toBeGreaterThan(0);
    for (const job of claimed) expect(job.actionVariables).toEqual({ account: 'A-1', apiToken: SECRET });
    const completed = await workerCall(t, worker, claimed[0].id, 'complete', { leaseToken: claimed[0].lease.token }).expect(200);
    expect(completed.body.actionVariables.apiToken).toBe('***');
  });

  it('never writes the value of a failed statement to the log', async () => {
    const table = t.config.database.target.dialect === 'sqlite' ? 'jobs' : '`jobs`';
    await t.dataSource.query(`ALTER TABLE ${table} RENAME TO jobs_away`);
    try {
      const failed = await charge('secret-4');
      expect(failed.status).toBe(500);
      // A 500 is a bug by definition, so the document declares none: this one is provoked on purpose.
      discardViolations((violation) => violation.status === 500);
    } finally {
      await t.dataSource.query('ALTER TABLE jobs_away RENAME TO jobs');
    }
    const logged = lines.filter((line) => line.includes('unhandled error'));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain('[redacted]');
    expect(lines.join('\n')).not.toContain(SECRET);
  });
});
