import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asAdmin, bearer } from './setup/auth';
import { putContract } from './setup/contracts';
import { createTestApp, type TestApp } from './setup/create-test-app';
import { type Instances, startInstances } from './setup/instances';
import { submit } from './setup/jobs';
import { hasMysql } from './setup/test-database';

const TEMPLATE = { id: '7', name: 'nightly-report', revision: '1' };
const timeAction = (schedule: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  trigger: 'TIME',
  queue: 'reports',
  workflowTemplate: TEMPLATE,
  variables: [{ name: 'day', type: 'string', required: true }],
  schedule,
  ...extra,
});

describe(`schedules through HTTP (${hasMysql ? 'MariaDB' : 'SQLite'})`, () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { SCHEDULER_ENABLED: 'true' } });
    await putContract(t, 'reports', { type: 'OUTPUT', actor: 'ACME', actions: [] });
  });

  afterAll(async () => {
    await t.close();
  });

  const putAction = (name: string, body: Record<string, unknown>) =>
    request(t.server).put(t.path(`/contracts/reports/actions/${name}`)).set(asAdmin()).send(body);
  const fieldsOf = (body: { errors?: { field: string }[] }) => (body.errors ?? []).map((error) => error.field);

  it('stores a TIME action with its schedule, defaults filled in', async () => {
    const response = await putAction('nightly', timeAction({ cron: '0 2 * * *', timezone: 'Europe/Paris', actionVariables: { day: 'yesterday' } }));
    expect(response.status).toBe(201);
    expect(response.body.trigger).toBe('TIME');
    expect(response.body.schedule).toEqual({ cron: '0 2 * * *', timezone: 'Europe/Paris', actionVariables: { day: 'yesterday' }, enabled: true, missedFires: 'RUN_LATEST' });
  });

  it('lists the schedule with its next 5 fires in UTC', async () => {
    const response = await request(t.server).get(t.path('/job-manager/schedules')).set(asAdmin());
    expect(response.status).toBe(200);
    const [entry] = response.body.schedules;
    expect(entry).toMatchObject({ contractName: 'reports', actionName: 'nightly', active: true });
    expect(entry.nextFires).toHaveLength(5);
    const instants = (entry.nextFires as string[]).map((fire) => new Date(fire));
    expect(instants.every((fire, index) => fire.getTime() > Date.now() && (index === 0 || fire > instants[index - 1]))).toBe(true);
    // 02:00 in Paris is 01:00 or 00:00 UTC, depending on daylight saving time.
    expect((entry.nextFires as string[]).every((fire) => /T0[01]:00:00\.000Z$/.test(fire))).toBe(true);
    expect(entry).not.toHaveProperty('lastFire');
  });

  it('refuses a bad cron, a TIME action without a schedule, a schedule on another trigger and wrong variables, naming the field', async () => {
    const badCron = await putAction('bad', timeAction({ cron: '61 * * * *', actionVariables: { day: 'x' } }));
    expect(badCron.status).toBe(400);
    expect(fieldsOf(badCron.body)).toContain('schedule.cron');
    const missing = await putAction('bad', { ...timeAction({}), schedule: undefined });
    expect(missing.status).toBe(400);
    expect(fieldsOf(missing.body)).toEqual(['schedule']);
    const onDemand = await putAction('bad', { ...timeAction({ cron: '0 2 * * *' }), trigger: 'ON_DEMAND' });
    expect(onDemand.status).toBe(400);
    expect(fieldsOf(onDemand.body)).toEqual(['schedule']);
    const variables = await putAction('bad', timeAction({ cron: '0 2 * * *', actionVariables: { day: 3 } }));
    expect(variables.status).toBe(400);
    expect(fieldsOf(variables.body)).toEqual(['schedule.actionVariables.day']);
    const zone = await putAction('bad', timeAction({ cron: '0 2 * * *', timezone: 'Mars/Olympus', actionVariables: { day: 'x' } }));
    expect(fieldsOf(zone.body)).toEqual(['schedule.timezone']);
  });

  it('needs SPENGCEMANJOBS to list schedules', async () => {
    expect((await request(t.server).get(t.path('/job-manager/schedules'))).status).toBe(401);
    const nobody = await bearer({ sub: 'nobody', roles: [] });
    expect((await request(t.server).get(t.path('/job-manager/schedules')).set(nobody)).status).toBe(403);
  });

  it('lets a caller with WORKFLOW run a TIME action now, through the normal submit', async () => {
    const response = await submit(t, asAdmin(), { contractName: 'reports', actionName: 'nightly', actionVariables: { day: 'today' } });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ contractActionTrigger: 'TIME', submittedBy: 'admin' });
  });
});

describe(`exactly one job per fire across three gateways (${hasMysql ? 'MariaDB' : 'SQLite'})`, () => {
  let instances: Instances;

  beforeAll(async () => {
    instances = await startInstances(3, { SCHEDULER_ENABLED: 'true' });
    await putContract(instances.apps[0], 'ticks', { type: 'OUTPUT', actor: 'ACME', actions: [] });
  });

  afterAll(async () => {
    await instances.close();
  });

  it('a per-second schedule run by every instance makes one job per fire, no 5xx', async () => {
    const [first] = instances.apps;
    const put = (enabled: boolean) =>
      request(first.server)
        .put(first.path('/contracts/ticks/actions/tick'))
        .set(asAdmin())
        .send(timeAction({ cron: '* * * * * *', actionVariables: { day: 'x' }, enabled }));
    expect((await put(true)).status).toBe(201);
    const startedAt = Date.now();
    const statuses: number[] = [];
    const created = new Set<boolean>();
    while (Date.now() - startedAt < 12_000) {
      for (const url of instances.urls) {
        const response = await fetch(`${url}/job-manager/schedules`, { headers: asAdmin() });
        statuses.push(response.status);
        const body = (await response.json()) as { schedules?: { lastFire?: { created: boolean } }[] };
        const lastFire = body.schedules?.[0]?.lastFire;
        if (lastFire) created.add(lastFire.created);
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect((await put(false)).status).toBe(200);
    const stoppedAt = Date.now();
    // Each instance reads the change on its next tick; let a tick already under way finish.
    await new Promise((resolve) => setTimeout(resolve, 2500));

    const rows: { ext: string; n: number | string }[] = await first.dataSource.query(
      "SELECT ext_ipid AS ext, COUNT(*) AS n FROM jobs WHERE submitted_by = 'system:scheduler' AND contract_action = 'tick' GROUP BY ext_ipid",
    );
    expect(rows.filter((row) => Number(row.n) !== 1)).toEqual([]);
    const elapsed = Math.round((stoppedAt - startedAt) / 1000);
    expect(rows.length).toBeGreaterThanOrEqual(10);
    expect(Math.abs(rows.length - elapsed)).toBeLessThanOrEqual(1);
    const fires = rows.map((row) => Date.parse(row.ext.replace(/^time:/, ''))).sort((a, b) => a - b);
    expect(fires.every((fire, index) => index === 0 || fire - fires[index - 1] === 1000)).toBe(true);
    expect(statuses.filter((status) => status >= 500)).toEqual([]);
    // Every instance submitted the fires: some found the job another had just created.
    expect([...created].sort()).toEqual([false, true]);
    const listed = (await (await fetch(`${instances.urls[1]}/job-manager/schedules`, { headers: asAdmin() })).json()) as { schedules: unknown[] };
    expect(listed.schedules[0]).toMatchObject({ actionName: 'tick', active: false, nextFires: [] });
  }, 40_000);
});
