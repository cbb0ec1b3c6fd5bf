import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTRACT_TYPES, TRIGGERS } from '../catalogue';
import { FILTER_FIELDS, SORT_FIELDS } from '../jobs/job-list-query';
import { CONTROL_TRANSITIONS, JOB_STATUSES } from '../jobs/job-status';
import { QUEUE_STATUSES } from '../queues/queue.entity';
import { CONSOLE_ROOT } from './console-assets';

// The console is plain JavaScript served as is; these imports load the very files the browser gets.
const load = (file: string) => import(resolve(CONSOLE_ROOT, 'assets', file));

describe('the console speaks the API it calls', () => {
  it('offers every list filter of the API, and sorts only by sortable fields', async () => {
    const { FILTER_PARAMS, COLUMNS } = await load('jobs-view.js');
    const apiFilters = [...FILTER_FIELDS, 'createdAtFrom', 'createdAtTo', 'updatedAtFrom', 'updatedAtTo'];
    expect([...FILTER_PARAMS].sort()).toEqual(apiFilters.sort());
    const sortable = (COLUMNS as [string, string, boolean][]).filter(([, , canSort]) => canSort).map(([key]) => key);
    expect(SORT_FIELDS).toEqual(expect.arrayContaining(sortable));
  });

  it('knows the same statuses, contract types and triggers', async () => {
    const ui = await load('jobs-view.js');
    expect(ui.STATUSES).toEqual([...JOB_STATUSES]);
    expect(ui.CONTRACT_TYPES).toEqual([...CONTRACT_TYPES]);
    expect(ui.TRIGGERS).toEqual([...TRIGGERS]);
  });

  it('offers a control command from exactly the statuses the state machine allows', async () => {
    const { CONTROL_COMMANDS } = await load('job-actions.js');
    const table = Object.fromEntries(
      Object.entries(CONTROL_COMMANDS as Record<string, { from: string[] }>).map(([command, { from }]) => [command, from]),
    );
    expect(table).toEqual(
      Object.fromEntries(Object.entries(CONTROL_TRANSITIONS).map(([command, { from }]) => [command, [...from]])),
    );
  });

  it('shows a command only with the WORKFLOW permission, and abort on a running job until requested', async () => {
    const { allowedCommands } = await load('job-actions.js');
    const admin = ['WORKFLOW', 'SPENGCEMANJOBS'];
    expect(allowedCommands({ status: 'SUBMITTED' }, admin)).toEqual(['suspend', 'abort']);
    expect(allowedCommands({ status: 'SUBMITTED' }, ['SPENGCEMANJOBS'])).toEqual([]);
    expect(allowedCommands({ status: 'RUNNING', abortRequested: false }, admin)).toEqual(['abort']);
    expect(allowedCommands({ status: 'RUNNING', abortRequested: true }, admin)).toEqual([]);
    expect(allowedCommands({ status: 'COMPLETED' }, admin)).toEqual([]);
    expect(allowedCommands({ status: 'ERROR' }, admin)).toEqual(['restart']);
  });
});

describe('what the console shows a caller', () => {
  it('offers the submit form only to a caller the gateway would let submit', async () => {
    const { submitRefusal } = await load('job-actions.js');
    const admin = { roles: ['Administrators'], permissions: ['WORKFLOW', 'SPENGCEMANJOBS'] };
    const reader = { roles: ['Users'], permissions: ['SPENGCEMANJOBS'] };
    const operator = { roles: ['Operators'], permissions: ['WORKFLOW'] };
    const open = { allowedRoles: [] };
    const adminsOnly = { allowedRoles: ['Administrators'] };
    expect(submitRefusal(admin, open)).toBeNull();
    expect(submitRefusal(admin, adminsOnly)).toBeNull();
    expect(submitRefusal(operator, open)).toBeNull();
    expect(submitRefusal(reader, open)).toBe('Your roles do not grant WORKFLOW: you cannot submit jobs.');
    expect(submitRefusal(operator, adminsOnly)).toBe('Only the roles Administrators may submit this action.');
  });

  it('states every constraint of a variable declaration', async () => {
    const { variableFacts } = await load('variable-facts.js');
    const text = (declaration: object) =>
      (variableFacts(declaration) as { text: string; code?: string }[]).map(({ text, code }) => (code === undefined ? text : `${text} ${code}`));
    expect(text({ name: 'n', type: 'integer', default: 5, minimum: 1, maximum: 10 })).toEqual(['default 5', 'from 1 to 10']);
    expect(text({ name: 'n', type: 'number', minimum: -2.5 })).toEqual(['at least -2.5']);
    expect(text({ name: 'n', type: 'number', maximum: 0 })).toEqual(['at most 0']);
    expect(text({ name: 'code', type: 'string', required: true, pattern: '^[A-Z]{3}$', maxLength: 3, secret: true })).toEqual([
      'required',
      'pattern ^[A-Z]{3}$',
      'at most 3 characters',
      'secret: never logged',
    ]);
    expect(text({ name: 'ids', type: 'array', maxLength: 0 })).toEqual(['at most 0 items']);
    expect(text({ name: 'mode', type: 'string', enum: ['a', 'b'], default: 'a' })).toEqual(['default "a"', 'one of "a" | "b"']);
    expect(text({ name: 'free', type: 'object' })).toEqual([]);
  });
});

describe('the dashboard and the timeline', () => {
  it('knows the queue statuses, and changes a queue by sending back every writable field', async () => {
    const { QUEUE_STATUSES: consoleStatuses, queueBody } = await load('queues-panel.js');
    expect(consoleStatuses).toEqual([...QUEUE_STATUSES]);
    const queue = { name: 'imports', description: null, priority: 6, parallelism: 2, status: 'SCHEDULED', timeSlots: [{ from: '22:00', to: '06:00' }], timezone: 'Europe/Paris', running: 1, ready: 3, createdAt: 'x', updatedAt: 'y' };
    expect(queueBody(queue, { status: 'DISABLED' })).toEqual({ description: null, priority: 6, parallelism: 2, status: 'DISABLED', timeSlots: [{ from: '22:00', to: '06:00' }], timezone: 'Europe/Paris' });
  });

  it('reads and writes time slots as people type them', async () => {
    const { formatTimeSlots, parseTimeSlots } = await load('queues-panel.js');
    const slots = [{ from: '08:00', to: '11:00' }, { from: '22:00', to: '02:00' }];
    expect(formatTimeSlots(slots)).toBe('08:00–11:00, 22:00–02:00');
    expect(parseTimeSlots(formatTimeSlots(slots))).toEqual({ slots });
    expect(parseTimeSlots(' 08:00 - 11:00 ,')).toEqual({ slots: [slots[0]] });
    expect(parseTimeSlots('')).toEqual({ slots: [] });
    expect(parseTimeSlots('8-11').error).toContain('"8-11" is not a slot');
  });

  it('charts every status, zero when the facet has none, and sums the minutes in words', async () => {
    const { statusCounts, queueCounts } = await load('dashboard-view.js');
    expect(statusCounts({ ERROR: 2, RUNNING: 1 })).toEqual({ SUBMITTED: 0, SUSPENDED: 0, RUNNING: 1, ERROR: 2, ABORTED: 0, COMPLETED: 0 });
    expect(Object.keys(statusCounts())).toEqual([...JOB_STATUSES]);
    expect(queueCounts({ a: 3, b: 2, c: 1 }, 2)).toEqual({ a: 3, b: 2 });
    const { perMinuteSummary } = await load('charts.js');
    const bucket = (submitted: number, COMPLETED: number, ERROR: number) => ({ minute: '', submitted, finished: { COMPLETED, ERROR, ABORTED: 0 } });
    expect(perMinuteSummary([bucket(3, 1, 0), bucket(2, 4, 1)])).toBe('5 submitted, finished: 5 COMPLETED, 1 ERROR, 0 ABORTED');
  });

  it('shows an event\'s data as one line of text', async () => {
    const { eventDetails } = await load('job-timeline.js');
    expect(eventDetails({})).toBe('—');
    expect(eventDetails({ from: 'SUBMITTED', attempt: 2, lease: { seconds: 30 } })).toBe('from: SUBMITTED, attempt: 2, lease: {"seconds":30}');
  });
});
