import { Injectable } from '@nestjs/common';
import { ActionQueues } from '../catalogue';
import { DomainError } from '../common/errors/domain-error';
import { JobsRepository, type QueueLoad } from '../jobs';
import { QueueListResponseDto, QueueResponseDto } from './dto/queue-response.dto';
import { canonicalTimeZone, QueueDto } from './dto/queue.dto';
import { QUEUE_DEFAULTS, type QueueEntity } from './queue.entity';
import { toQueueView } from './queue-view';
import { QueuesRepository, type QueueFields } from './queues.repository';

const queueNotFound = (name: string) => new DomainError('NOT_FOUND', `No queue named "${name}".`);

/** A validated body as stored: absent fields take the defaults, the zone its canonical spelling. */
export function toQueueFields(dto: QueueDto): QueueFields {
  return {
    description: dto.description ?? null,
    priority: dto.priority ?? QUEUE_DEFAULTS.priority,
    parallelism: dto.parallelism ?? QUEUE_DEFAULTS.parallelism,
    status: dto.status ?? QUEUE_DEFAULTS.status,
    timeSlots: (dto.timeSlots ?? []).map(({ from, to }) => ({ from, to })),
    timezone: canonicalTimeZone(dto.timezone ?? QUEUE_DEFAULTS.timezone) ?? QUEUE_DEFAULTS.timezone,
  };
}

/** A queue in use (named by an action, or holding unfinished jobs) exists: reads insert its default row, as catalogue/ cannot tell us. */
@Injectable()
export class QueuesService {
  constructor(
    private readonly queues: QueuesRepository,
    private readonly actionQueues: ActionQueues,
    private readonly jobs: JobsRepository,
  ) {}

  async list(): Promise<QueueListResponseDto> {
    const [named, loads] = await Promise.all([this.actionQueues.names(), this.jobs.queueLoads()]);
    await this.queues.insertMissing([...new Set([...named, ...loads.map((load) => load.queue)])]);
    const byQueue = new Map(loads.map((load) => [load.queue, load]));
    return { queues: (await this.queues.list()).map((row) => toQueueView(row, byQueue.get(row.name))) };
  }

  async get(name: string): Promise<QueueResponseDto> {
    const [load] = await this.jobs.queueLoads([name]);
    const queue = await this.findOrMaterialise(name, load);
    if (!queue) throw queueNotFound(name);
    return toQueueView(queue, load);
  }

  /** A queue in use already exists, so declaring it answers 200, not 201. */
  async put(name: string, dto: QueueDto): Promise<{ created: boolean; resource: QueueResponseDto }> {
    const [before] = await this.jobs.queueLoads([name]);
    await this.findOrMaterialise(name, before);
    const { created, queue } = await this.queues.put(name, toQueueFields(dto));
    const [load] = await this.jobs.queueLoads([name]);
    return { created, resource: toQueueView(queue, load) };
  }

  /** Refused while an action names the queue (it would come back at once) or jobs still wait in or run from it. */
  async delete(name: string): Promise<void> {
    const [actions, [load]] = await Promise.all([this.actionQueues.naming(name, 6), this.jobs.queueLoads([name])]);
    const reasons: string[] = [];
    if (actions.length > 0) reasons.push(`actions still name it (${actions.slice(0, 5).join(', ')}${actions.length > 5 ? ', ...' : ''})`);
    if (load) reasons.push(`it holds ${load.unfinished} unfinished (submitted, suspended or running) job(s)`);
    if (reasons.length > 0) throw new DomainError('CONFLICT', `The queue "${name}" cannot be deleted: ${reasons.join('; ')}.`);
    if (!(await this.queues.delete(name))) throw queueNotFound(name);
  }

  private async findOrMaterialise(name: string, load: QueueLoad | undefined): Promise<QueueEntity | null> {
    const queue = await this.queues.find(name);
    if (queue || (!load && (await this.actionQueues.naming(name, 1)).length === 0)) return queue;
    await this.queues.insertMissing([name]);
    return this.queues.find(name);
  }
}
