import type { ScheduleListResponseDto } from './schedule-response.dto';

// Typed as the DTO, so the example cannot drift from its schema unnoticed.
export const SCHEDULE_LIST_EXAMPLE: ScheduleListResponseDto = {
  schedules: [
    {
      contractName: 'acme-orders',
      actionName: 'nightly-import',
      schedule: { cron: '0 2 * * *', timezone: 'Europe/Paris', actionVariables: { date: 'yesterday' }, enabled: true, missedFires: 'RUN_LATEST' },
      active: true,
      nextFires: ['2026-11-24T01:00:00.000Z', '2026-11-25T01:00:00.000Z', '2026-11-26T01:00:00.000Z', '2026-11-27T01:00:00.000Z', '2026-11-28T01:00:00.000Z'],
      lastFire: { fireAt: '2026-11-23T01:00:00.000Z', jobId: '1042', created: true },
    },
  ],
};
