import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toFieldErrors } from '../common/errors/validation-errors';
import { assertValidDeclarations, toActionFields } from './action-fields';
import { cronProblem, isTimeZone, scheduleView, withSince } from './action-schedule';
import { readContractsFile } from './contracts-file.loader';
import { ActionDto } from './dto/action.dto';

const TEMPLATE = { id: '7', name: 'import-orders', revision: '3' };
const fieldsOf = (body: Record<string, unknown>) =>
  toFieldErrors(validateSync(plainToInstance(ActionDto, { workflowTemplate: TEMPLATE, ...body }), { whitelist: true, forbidNonWhitelisted: true, stopAtFirstError: true })).map(
    (error) => error.field,
  );

describe('action schedules', () => {
  it('accepts 5 and 6 field crons and refuses anything the library cannot parse or that never fires', () => {
    expect(cronProblem('0 2 * * *')).toBeUndefined();
    expect(cronProblem('*/5 * * * * *')).toBeUndefined();
    expect(cronProblem('0 9 * * MON-FRI')).toBeUndefined();
    for (const bad of ['', '* * * *', '61 * * * *', '* * * * * * *', 'every day', '0 0 30 2 *', 42]) expect(cronProblem(bad)).toBeDefined();
  });

  it('accepts IANA time zones only', () => {
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Europe/Paris')).toBe(true);
    expect(isTimeZone('America/Argentina/Buenos_Aires')).toBe(true);
    for (const bad of ['Mars/Olympus', '+01:00', '', 'Europe/Paris\n', 7]) expect(isTimeZone(bad)).toBe(false);
  });

  it('needs a schedule exactly when the trigger is TIME, naming the field', () => {
    expect(fieldsOf({ trigger: 'TIME' })).toEqual(['schedule']);
    expect(fieldsOf({ trigger: 'ON_DEMAND', schedule: { cron: '0 2 * * *' } })).toEqual(['schedule']);
    expect(fieldsOf({ schedule: { cron: '0 2 * * *' } })).toEqual(['schedule']);
    expect(fieldsOf({ trigger: 'TIME', schedule: { cron: '0 2 * * *' } })).toEqual([]);
    expect(fieldsOf({ trigger: 'SCHEDULED' })).toEqual([]);
    expect(fieldsOf({ trigger: 'ON_DEMAND', schedule: null })).toEqual([]);
  });

  it('names schedule.cron, schedule.timezone and schedule.missedFires when they are wrong', () => {
    const body = { trigger: 'TIME', schedule: { cron: '61 * * * *', timezone: 'Mars/Olympus', missedFires: 'ALL', extra: 1 } };
    expect(fieldsOf(body).sort()).toEqual(['schedule.cron', 'schedule.extra', 'schedule.missedFires', 'schedule.timezone']);
  });

  it('fills the defaults: UTC, no variables, enabled, RUN_LATEST', () => {
    const dto = plainToInstance(ActionDto, { trigger: 'TIME', workflowTemplate: TEMPLATE, schedule: { cron: '0 2 * * *' } });
    expect(toActionFields(dto).schedule).toEqual({ cron: '0 2 * * *', timezone: 'UTC', actionVariables: {}, enabled: true, missedFires: 'RUN_LATEST' });
    expect(toActionFields(plainToInstance(ActionDto, { workflowTemplate: TEMPLATE })).schedule).toBeNull();
  });

  it("checks the schedule's variables against the action's like a submission", () => {
    const action = (actionVariables: Record<string, unknown>) =>
      plainToInstance(ActionDto, {
        trigger: 'TIME',
        workflowTemplate: TEMPLATE,
        variables: [{ name: 'date', type: 'string', required: true }],
        schedule: { cron: '0 2 * * *', actionVariables },
      });
    expect(() => assertValidDeclarations([action({ date: 'today' })], () => 'variables')).not.toThrow();
    try {
      assertValidDeclarations([action({ date: 3, other: true })], (index) => `actions[${index}].variables`);
      expect.unreachable();
    } catch (error) {
      const fields = (error as { options: { errors: { field: string }[] } }).options.errors.map((entry) => entry.field);
      expect(fields.every((field) => field.startsWith('actions[0].schedule.actionVariables'))).toBe(true);
    }
  });

  it('keeps `since` when the same schedule is written again and resets it on a change', () => {
    const first = withSince({ cron: '0 2 * * *', timezone: 'UTC', actionVariables: {}, enabled: true, missedFires: 'SKIP' }, null, new Date('2026-01-01T00:00:00Z'));
    const again = withSince({ ...first!, since: undefined } as never, first, new Date('2026-02-01T00:00:00Z'));
    expect(again?.since).toBe('2026-01-01T00:00:00.000Z');
    const changed = withSince({ ...first!, cron: '0 3 * * *' }, first, new Date('2026-02-01T00:00:00Z'));
    expect(changed?.since).toBe('2026-02-01T00:00:00.000Z');
  });

  it('masks secret variables in what readers see', () => {
    const schedule = { cron: '0 2 * * *', timezone: 'UTC', actionVariables: { token: 's3cret', day: 'x' }, enabled: true, missedFires: 'SKIP' as const, since: '' };
    const view = scheduleView(schedule, [{ name: 'token', type: 'string', secret: true }, { name: 'day', type: 'string' }]);
    expect(view.actionVariables).toEqual({ token: '***', day: 'x' });
    expect(view).not.toHaveProperty('since');
  });

  it('checks schedules in the contracts file the same way, naming the field', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'schedules-')), 'contracts.yaml');
    const action = { name: 'nightly', trigger: 'TIME', workflowTemplate: TEMPLATE, variables: [{ name: 'day', type: 'string', required: true }] };
    const file = (schedule: unknown) => writeFileSync(path, JSON.stringify({ contracts: [{ name: 'c', type: 'INPUT', actor: 'A', actions: [{ ...action, schedule }] }] }));
    file({ cron: '0 2 * * *', actionVariables: { day: 'x' } });
    expect(readContractsFile(path)[0].actions?.[0].schedule?.cron).toBe('0 2 * * *');
    file({ cron: 'nope', actionVariables: { day: 'x' } });
    expect(() => readContractsFile(path)).toThrow(/contracts\[0\]\.actions\[0\]\.schedule\.cron/);
    file({ cron: '0 2 * * *', actionVariables: {} });
    expect(() => readContractsFile(path)).toThrow(/contracts\[0\]\.actions\[0\]\.schedule\.actionVariables/);
  });
});
