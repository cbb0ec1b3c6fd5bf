import type { QueueDto } from './queue.dto';
import type { QueueListResponseDto, QueueResponseDto } from './queue-response.dto';

// Typed as the DTOs, so an example cannot drift from its schema unnoticed.

export const QUEUE_BODY_EXAMPLE: QueueDto = {
  description: 'Nightly imports of partner orders',
  priority: 7,
  parallelism: 2,
  status: 'SCHEDULED',
  timeSlots: [{ from: '22:00', to: '06:00' }],
  timezone: 'Europe/Paris',
};

export const QUEUE_EXAMPLE: QueueResponseDto = {
  name: 'imports',
  description: 'Nightly imports of partner orders',
  priority: 7,
  parallelism: 2,
  status: 'SCHEDULED',
  timeSlots: [{ from: '22:00', to: '06:00' }],
  timezone: 'Europe/Paris',
  running: 1,
  ready: 12,
  createdAt: '2026-11-23T10:15:30.123Z',
  updatedAt: '2026-11-23T10:15:30.123Z',
};

const DEFAULT_QUEUE_EXAMPLE: QueueResponseDto = {
  name: 'default',
  description: null,
  priority: 5,
  parallelism: 0,
  status: 'ENABLED',
  timeSlots: [],
  timezone: 'UTC',
  running: 0,
  ready: 3,
  createdAt: '2026-11-23T10:15:30.123Z',
  updatedAt: '2026-11-23T10:15:30.123Z',
};

export const QUEUE_LIST_EXAMPLE: QueueListResponseDto = { queues: [DEFAULT_QUEUE_EXAMPLE, QUEUE_EXAMPLE] };
