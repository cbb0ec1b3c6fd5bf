import type { QueueLoad } from '../jobs';
import type { QueueResponseDto } from './dto/queue-response.dto';
import type { QueueEntity } from './queue.entity';

export function toQueueView(queue: QueueEntity, load?: QueueLoad): QueueResponseDto {
  return {
    name: queue.name,
    description: queue.description,
    priority: queue.priority,
    parallelism: queue.parallelism,
    status: queue.status,
    timeSlots: queue.timeSlots.map(({ from, to }) => ({ from, to })),
    timezone: queue.timezone,
    running: load?.running ?? 0,
    ready: load?.ready ?? 0,
    createdAt: queue.createdAt.toISOString(),
    updatedAt: queue.updatedAt.toISOString(),
  };
}
