import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Webhook } from 'standardwebhooks';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebhookReceiver, type GatewayEvent } from '../examples/webhook-receiver/receiver';
import { WebhookDispatcher } from '../src/webhooks';
import { WebhookFanOut } from '../src/webhooks/webhook-fan-out';
import { WebhooksRepository } from '../src/webhooks/webhooks.repository';
import { asAdmin, withRoles } from './setup/auth';
import { contractBody, putContract } from './setup/contracts';
import { createTestApp, TestApp } from './setup/create-test-app';
import { submit } from './setup/jobs';
import { expectProblem } from './setup/problem';
import { hasMysql } from './setup/test-database';
import { startReceiver } from './setup/webhook-receiver';

const WEBHOOK_ENV = {
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
  WEBHOOK_RETRY_BASE_MS: '20',
  WEBHOOK_MAX_ATTEMPTS: '3',
  WEBHOOK_TIMEOUT_MS: '2000',
};
const TEMPLATE = { id: '1', name: 'w', revision: '1' };

describe('webhooks', () => {
  let t: TestApp;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const failing = new Map<string, number>();
  const hooks = (path = '') => t.path(`/admin/webhooks${path}`);
  const create = (body: object, headers = asAdmin()) => request(t.server).post(hooks()).set(headers).send(body);
  const deliveries = async (id: number) => (await request(t.server).get(hooks(`/${id}/deliveries`)).set(asAdmin()).expect(200)).body.deliveries;
  const runUntil = async (done: () => boolean | Promise<boolean>, app = t) => {
    for (let round = 0; round < 200 && !(await done()); round++) {
      await app.app.get(WebhookDispatcher).runOnce();
      await sleep(10);
    }
  };
  const subscribe = async (path: string, events: string[], contracts?: string[]) =>
    (await create({ url: `${receiver.url}${path}`, events, contracts }).expect(201)).body;
  const submitTo = async (contract: string) => (await submit(t, asAdmin(), { contractName: contract, actionName: 'run' }).expect(201)).body;

  beforeAll(async () => {
    t = await createTestApp({ env: WEBHOOK_ENV });
    // A path answers 503 while failing.get(path) > 0 requests remain to fail.
    receiver = await startReceiver((path) => {
      const left = failing.get(path) ?? 0;
      if (left === 0) return 204;
      failing.set(path, left - 1);
      return 503;
    });
    for (const name of ['wh-a', 'wh-b']) await putContract(t, name, contractBody({ actions: [{ name: 'run', queue: name, workflowTemplate: TEMPLATE }] }));
  });

  afterAll(async () => {
    await receiver?.close();
    await t?.close();
  });

  describe('the admin API', () => {
    it('creates (secret once), lists without secrets, deletes', async () => {
      const created = await create({ url: 'https://hooks.example.com/x', events: ['job.completed'], description: 'billing' }).expect(201);
      expect(created.body).toEqual({
        id: expect.any(Number),
        url: 'https://hooks.example.com/x',
        events: ['job.completed'],
        contracts: null,
        description: 'billing',
        enabled: true,
        createdAt: expect.any(String),
        createdBy: 'admin',
        secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
      });
      const listed = (await request(t.server).get(hooks()).set(asAdmin()).expect(200)).body.webhooks;
      expect(listed).toContainEqual({ ...created.body, secret: undefined });
      expect(JSON.stringify(listed)).not.toContain('whsec_');
      await request(t.server).delete(hooks(`/${created.body.id}`)).set(asAdmin()).expect(204);
      expectProblem(await request(t.server).delete(hooks(`/${created.body.id}`)).set(asAdmin()), 404, 'WEBHOOK_NOT_FOUND');
      expectProblem(await request(t.server).get(hooks(`/${created.body.id}/deliveries`)).set(asAdmin()), 404, 'WEBHOOK_NOT_FOUND');
      expectProblem(await request(t.server).get(hooks('/abc/deliveries')).set(asAdmin()), 400, 'VALIDATION_FAILED');
    });

    it.each([
      ['an ftp URL', { url: 'ftp://hooks.example.com/x', events: ['job.completed'] }, 'url'],
      ['a URL with credentials', { url: 'https://u:p@hooks.example.com/x', events: ['job.completed'] }, 'url'],
      ['no events', { url: 'https://hooks.example.com/x', events: [] }, 'events'],
      ['an unknown event', { url: 'https://hooks.example.com/x', events: ['job.exploded'] }, 'events'],
      ['a bad contract name', { url: 'https://hooks.example.com/x', events: ['job.completed'], contracts: ['a b'] }, 'contracts'],
      ['an unknown field', { url: 'https://hooks.example.com/x', events: ['job.completed'], secret: 'mine' }, 'secret'],
    ])('refuses %s with 400 naming the field', async (_case, body, field) => {
      const response = await create(body);
      expectProblem(response, 400, 'VALIDATION_FAILED');
      expect(response.body.errors.map((error: { field: string }) => error.field.replace(/\[\d+\]$/, ''))).toContain(field);
    });

    it('changes events, contracts, description and enabled, never the URL', async () => {
      const hook = (await create({ url: 'https://hooks.example.com/patch', events: ['job.completed'], contracts: ['wh-a'], description: 'first' }).expect(201)).body;
      const patch = (body: object, id = hook.id) => request(t.server).patch(hooks(`/${id}`)).set(asAdmin()).send(body);
      const changed = await patch({ events: ['job.failed', 'job.completed'], contracts: null, description: null, enabled: false }).expect(200);
      expect(changed.body).toEqual({ ...hook, secret: undefined, events: ['job.failed', 'job.completed'], contracts: null, description: null, enabled: false });
      expect((await patch({}).expect(200)).body).toEqual(changed.body);
      const listed = (await request(t.server).get(hooks()).set(asAdmin()).expect(200)).body.webhooks;
      expect(listed).toContainEqual(changed.body);
      const refused = await patch({ url: 'https://elsewhere.example.com/' });
      expectProblem(refused, 400, 'VALIDATION_FAILED');
      expect(JSON.stringify(refused.body)).toMatch(/url/);
      expectProblem(await patch({ events: [] }), 400, 'VALIDATION_FAILED');
      expectProblem(await patch({ enabled: 'no' }), 400, 'VALIDATION_FAILED');
      expectProblem(await patch({ enabled: true }, 999999), 404, 'WEBHOOK_NOT_FOUND');
      expect((await request(t.server).get(hooks(`/${hook.id}`)).set(asAdmin()).expect(200)).body).toEqual(changed.body);
      expectProblem(await request(t.server).get(hooks('/999999')).set(asAdmin()), 404, 'WEBHOOK_NOT_FOUND');
    });

    it('is for WEBHOOKS holders only: 403 for others, 401 without credentials', async () => {
      const user = await withRoles('wh-user', ['Users', 'Integrations']);
      expectProblem(await request(t.server).get(hooks()).set(user), 403, 'FORBIDDEN');
      expectProblem(await create({ url: 'https://hooks.example.com/x', events: ['job.completed'] }, user), 403, 'FORBIDDEN');
      expectProblem(await request(t.server).get(hooks()), 401, 'UNAUTHENTICATED');
    });
  });

  describe('deliveries', () => {
    it('delivers a signed event that the example receiver verifies with standardwebhooks', async () => {
      const events: { event: GatewayEvent; messageId: string }[] = [];
      // The URL is needed before the secret exists: the front server hands requests to the example once created.
      let example: Server | undefined;
      const front = createServer((req, res) => void example?.emit('request', req, res));
      await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
      try {
        const url = `http://127.0.0.1:${(front.address() as AddressInfo).port}/hook`;
        const hook = (await create({ url, events: ['job.submitted'], contracts: ['wh-a'] }).expect(201)).body;
        example = createWebhookReceiver({ secret: hook.secret, onEvent: (event, messageId) => void events.push({ event, messageId }) });
        const job = await submitTo('wh-a');
        await runUntil(() => events.length > 0);
        expect(events).toHaveLength(1);
        expect(events[0].event).toMatchObject({ type: 'job.submitted', timestamp: expect.any(String), data: { job: { id: job.id, status: job.status } } });
        const [delivery] = await deliveries(hook.id);
        expect(delivery).toMatchObject({ status: 'SUCCEEDED', attempts: 1, lastStatusCode: 204, lastError: null, eventType: 'job.submitted', jobId: job.id, nextAttemptAt: null });
        expect(events[0].messageId).toBe(`msg_${delivery.id}`);
        expect(delivery.messageId).toBe(`msg_${delivery.id}`);
      } finally {
        front.close();
      }
    });

    it('retries a failing receiver with the same webhook-id and the same bytes until it answers 2xx', async () => {
      failing.set('/flaky', 2);
      const hook = await subscribe('/flaky', ['job.submitted'], ['wh-a']);
      const job = await submitTo('wh-a');
      await runUntil(async () => (await deliveries(hook.id))[0]?.status === 'SUCCEEDED');
      const attempts = receiver.at('/flaky');
      expect(attempts).toHaveLength(3);
      const [delivery] = await deliveries(hook.id);
      expect(delivery).toMatchObject({ status: 'SUCCEEDED', attempts: 3, lastStatusCode: 204, jobId: job.id });
      expect(new Set(attempts.map((attempt) => attempt.headers['webhook-id']))).toEqual(new Set([`msg_${delivery.id}`]));
      expect(new Set(attempts.map((attempt) => attempt.body)).size).toBe(1);
      for (const attempt of attempts) expect(() => new Webhook(hook.secret).verify(attempt.body, attempt.headers as Record<string, string>)).not.toThrow();
    });

    it('marks a delivery DEAD after the attempts bound, and retries it by hand', async () => {
      failing.set('/dead', 3);
      const hook = await subscribe('/dead', ['job.submitted'], ['wh-a']);
      await submitTo('wh-a');
      await runUntil(async () => (await deliveries(hook.id))[0]?.status === 'DEAD');
      const [dead] = await deliveries(hook.id);
      expect(dead).toMatchObject({ status: 'DEAD', attempts: 3, lastStatusCode: 503, lastError: 'answered HTTP 503', nextAttemptAt: null });
      const retry = (id: string, webhookId = hook.id) => request(t.server).post(hooks(`/${webhookId}/deliveries/${id}/retry`)).set(asAdmin());
      const retried = await retry(dead.id).expect(200);
      expect(retried.body).toMatchObject({ id: dead.id, status: 'PENDING', attempts: 3, nextAttemptAt: expect.any(String) });
      await runUntil(async () => (await deliveries(hook.id))[0]?.status === 'SUCCEEDED');
      expect((await deliveries(hook.id))[0]).toMatchObject({ status: 'SUCCEEDED', attempts: 4, lastStatusCode: 204 });
      expect(new Set(receiver.at('/dead').map((attempt) => attempt.headers['webhook-id']))).toEqual(new Set([`msg_${dead.id}`]));
      const byStatus = async (status: string) =>
        (await request(t.server).get(hooks(`/${hook.id}/deliveries?status=${status}`)).set(asAdmin()).expect(200)).body.deliveries.map((delivery: { id: string }) => delivery.id);
      expect(await byStatus('SUCCEEDED')).toEqual([dead.id]);
      expect(await byStatus('DEAD')).toEqual([]);
      expectProblem(await request(t.server).get(hooks(`/${hook.id}/deliveries?status=LOST`)).set(asAdmin()), 400, 'VALIDATION_FAILED');
      expectProblem(await retry(dead.id), 409, 'CONFLICT');
      expectProblem(await retry('999999'), 404, 'WEBHOOK_DELIVERY_NOT_FOUND');
      expectProblem(await retry(dead.id, 999999), 404, 'WEBHOOK_NOT_FOUND');
    });

    it('sends only the subscribed types of the subscribed contracts', async () => {
      const onlyB = await subscribe('/only-b', ['job.submitted'], ['wh-b']);
      const every = await subscribe('/every', ['job.submitted']);
      const otherType = await subscribe('/other-type', ['job.completed']);
      const a = await submitTo('wh-a');
      const b = await submitTo('wh-b');
      await runUntil(() => receiver.at('/every').length >= 2 && receiver.at('/only-b').length >= 1);
      await t.app.get(WebhookDispatcher).runOnce();
      const jobIds = (path: string) => receiver.at(path).map((entry) => JSON.parse(entry.body).data.job.id);
      expect(jobIds('/only-b')).toEqual([b.id]);
      expect(jobIds('/every').sort()).toEqual([a.id, b.id].sort());
      expect(receiver.at('/other-type')).toEqual([]);
      expect(await deliveries(otherType.id)).toEqual([]);
      expect((await deliveries(onlyB.id)).map((delivery: { jobId: string }) => delivery.jobId)).toEqual([b.id]);
      expect(await deliveries(every.id)).toHaveLength(2);
    });

    it('pauses a disabled webhook: no delivery for the events meanwhile, its pending deliveries wait; enabling resumes them', async () => {
      // Its own gateway and database, without the background loops: every pass is this test's.
      const own = await createTestApp({ env: { ...WEBHOOK_ENV, WEBHOOK_INTERVAL_MS: '0' } });
      try {
        await putContract(own, 'wh-p', contractBody({ actions: [{ name: 'run', queue: 'wh-p', workflowTemplate: TEMPLATE }] }));
        const pass = () => own.app.get(WebhookDispatcher).runOnce();
        const ownHooks = (path = '') => own.path(`/admin/webhooks${path}`);
        const hook = (await request(own.server).post(ownHooks()).set(asAdmin()).send({ url: `${receiver.url}/paused`, events: ['job.submitted'] }).expect(201)).body;
        const ownDeliveries = async () => (await request(own.server).get(ownHooks(`/${hook.id}/deliveries`)).set(asAdmin()).expect(200)).body.deliveries;
        const submitOwn = async () => (await submit(own, asAdmin(), { contractName: 'wh-p', actionName: 'run' }).expect(201)).body;
        const enable = (enabled: boolean) => request(own.server).patch(ownHooks(`/${hook.id}`)).set(asAdmin()).send({ enabled }).expect(200);
        failing.set('/paused', 1);
        const before = await submitOwn();
        await pass();
        expect((await ownDeliveries())[0]).toMatchObject({ status: 'PENDING', attempts: 1, lastStatusCode: 503, jobId: before.id });

        expect((await enable(false)).body.enabled).toBe(false);
        await submitOwn();
        for (let round = 0; round < 5; round++) {
          await sleep(30);
          await pass();
        }
        expect(receiver.at('/paused')).toHaveLength(1);
        expect(await ownDeliveries()).toMatchObject([{ status: 'PENDING', attempts: 1, jobId: before.id }]);

        await enable(true);
        for (let round = 0; round < 50 && (await ownDeliveries())[0].status !== 'SUCCEEDED'; round++) {
          await sleep(30);
          await pass();
        }
        expect(await ownDeliveries()).toMatchObject([{ status: 'SUCCEEDED', attempts: 2, jobId: before.id }]);
        const jobIds = receiver.at('/paused').map((entry) => JSON.parse(entry.body).data.job.id);
        expect(jobIds).toEqual([before.id, before.id]);
      } finally {
        await own.close();
      }
    });

    it('counts deliveries and the outbox in /metrics', async () => {
      const metrics = (await request(t.server).get(t.path('/metrics')).set(asAdmin()).expect(200)).text;
      expect(metrics).toMatch(/gateway_webhook_deliveries_total\{outcome="succeeded"\} [1-9]/);
      expect(metrics).toMatch(/gateway_webhook_deliveries_total\{outcome="dead"\} [1-9]/);
      expect(metrics).toMatch(/gateway_webhook_outbox_depth\{stage="events"\} \d+/);
      expect(metrics).toMatch(/gateway_webhook_outbox_depth\{stage="deliveries"\} \d+/);
      expect(metrics).toMatch(/gateway_webhook_oldest_pending_seconds \d/);
    });
  });

  describe('without WEBHOOK_ALLOW_PRIVATE_NETWORKS', () => {
    let guarded: TestApp;

    beforeAll(async () => {
      guarded = await createTestApp({ env: { ...WEBHOOK_ENV, WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'false' } });
      await putContract(guarded, 'wh-a', contractBody({ actions: [{ name: 'run', queue: 'wh-a', workflowTemplate: TEMPLATE }] }));
    });

    afterAll(async () => {
      await guarded?.close();
    });

    it.each(['http://127.0.0.1:9/x', 'http://localhost:9/x', 'http://169.254.169.254/latest', 'http://[::1]/x', 'http://10.0.0.8/x', 'http://[::ffff:7f00:1]/x'])(
      'refuses %s at creation with 422 WEBHOOK_URL_REFUSED',
      async (url) => {
        const response = await request(guarded.server).post(guarded.path('/admin/webhooks')).set(asAdmin()).send({ url, events: ['job.submitted'] });
        expectProblem(response, 422, 'WEBHOOK_URL_REFUSED');
        expect(response.body.detail).toMatch(/WEBHOOK_ALLOW_PRIVATE_NETWORKS/);
      },
    );

    it('refuses to deliver to a private address: a failed attempt with a clear lastError, nothing sent', async () => {
      // Stored directly, as if its name had resolved to a public address at creation (DNS rebinding).
      const hook = await guarded.app.get(WebhooksRepository).create({
        url: `${receiver.url}/private`, events: ['job.submitted'], contracts: null, description: null, secret: 'whsec_AAAA', createdAt: new Date(), createdBy: 'test',
      });
      await submit(guarded, asAdmin(), { contractName: 'wh-a', actionName: 'run' }).expect(201);
      const list = async () => (await request(guarded.server).get(guarded.path(`/admin/webhooks/${hook.id}/deliveries`)).set(asAdmin()).expect(200)).body.deliveries;
      await runUntil(async () => (await list())[0]?.attempts >= 1, guarded);
      expect((await list())[0]).toMatchObject({ lastStatusCode: null, lastError: expect.stringMatching(/^refused: 127\.0\.0\.1 resolves to 127\.0\.0\.1, a loopback address/) });
      expect(receiver.at('/private')).toEqual([]);
    });
  });

  describe.skipIf(!hasMysql)('two instances on MariaDB', () => {
    it('deliver every event once between them (SKIP LOCKED claims)', async () => {
      const second = await createTestApp({ env: WEBHOOK_ENV, database: t.database });
      try {
        const hook = await subscribe('/shared', ['job.submitted'], ['wh-b']);
        const jobs = await Promise.all(Array.from({ length: 40 }, () => submitTo('wh-b')));
        const done = () => receiver.at('/shared').length >= jobs.length;
        await Promise.all([runUntil(done), runUntil(done, second)]);
        await Promise.all([t.app.get(WebhookDispatcher).runOnce(), second.app.get(WebhookDispatcher).runOnce()]);
        const ids = receiver.at('/shared').map((entry) => entry.headers['webhook-id']);
        expect(ids).toHaveLength(jobs.length);
        expect(new Set(ids).size).toBe(jobs.length);
        expect((await deliveries(hook.id)).every((delivery: { attempts: number }) => delivery.attempts === 1)).toBe(true);
      } finally {
        await second.close();
      }
    });

    it('keep submitting while a fan-out pass holds its claimed events (no gap lock where new events go)', async () => {
      const paused = await createTestApp({ env: { ...WEBHOOK_ENV, WEBHOOK_INTERVAL_MS: '0' } });
      let release = () => {};
      try {
        await putContract(paused, 'wh-a', contractBody({ actions: [{ name: 'run', queue: 'wh-a', workflowTemplate: TEMPLATE }] }));
        for (let index = 0; index < 3; index++) await submit(paused, asAdmin(), { contractName: 'wh-a', actionName: 'run' }).expect(201);
        // The pass stops between its claim and its commit, holding whatever locks the claim took.
        const repository = paused.app.get(WebhooksRepository);
        const claimed = new Promise<void>((resolve) => {
          repository.insertDeliveries = () => {
            resolve();
            return new Promise<void>((resume) => (release = resume));
          };
        });
        const pass = paused.app.get(WebhookFanOut).fanOutBatch();
        await claimed;
        // At REPEATABLE READ this insert waited for the pass (50 s of lock wait, or a deadlock).
        await submit(paused, asAdmin(), { contractName: 'wh-a', actionName: 'run' }).timeout(10_000).expect(201);
        release();
        expect(await pass).toBe(3);
      } finally {
        release();
        await paused.close();
      }
    });
  });
});
