import { readFileSync } from 'node:fs';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { parse } from 'yaml';
import { ActionQueues, EXAMPLE_CONTRACTS_FILE } from '../catalogue';
import { toFieldErrors } from '../common/errors/validation-errors';
import { AppConfig } from '../config/app-config';
import { NamedQueueDto } from './dto/queue.dto';
import { toQueueFields } from './queues.service';
import { QueuesRepository } from './queues.repository';

export class QueuesFileError extends Error {
  override readonly name = 'QueuesFileError';
}

/** The `queues:` list of a contracts file, validated as PUT validates a body; absent: none. */
export function readQueuesFile(path: string): NamedQueueDto[] {
  let document: unknown;
  try {
    document = parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new QueuesFileError(`${path}: cannot be read as YAML or JSON: ${(error as Error).message}`);
  }
  const list = (document as { queues?: unknown } | null)?.queues;
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw new QueuesFileError(`${path}: queues must be a list of { name, ... }`);
  const problems: string[] = [];
  const queues = list.map((item: unknown, index) => {
    const dto = plainToInstance(NamedQueueDto, item ?? {});
    const errors = toFieldErrors(validateSync(dto, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true }));
    problems.push(...errors.map((error) => `queues[${index}].${error.field}: ${error.message}`));
    return dto;
  });
  queues.forEach(({ name }, index) => {
    if (queues.findIndex((queue) => queue.name === name) !== index) problems.push(`queues[${index}].name: "${name}" is listed twice`);
  });
  if (problems.length > 0) throw new QueuesFileError(`${path}: ${problems.join('; ')}`);
  return queues;
}

/** At start-up: the file's queues (CONTRACTS_FILE's replace, the demo's go into an empty table), then a default row per queue actions name. */
@Injectable()
export class QueuesFileLoader implements OnApplicationBootstrap {
  private readonly logger = new Logger('Queues');

  constructor(
    private readonly config: AppConfig,
    private readonly queues: QueuesRepository,
    private readonly actionQueues: ActionQueues,
  ) {}

  async onApplicationBootstrap() {
    const source = this.config.contractsFile;
    // Like the demo contracts, the demo queues go only into an empty database (the migration gave existing ones rows).
    const applies = source.kind === 'path' || (source.kind === 'example' && (await this.queues.count()) === 0);
    if (applies) {
      const path = source.kind === 'path' ? source.path : EXAMPLE_CONTRACTS_FILE;
      const declared = readQueuesFile(path);
      for (const { name, ...queue } of declared) {
        const fields = toQueueFields(queue);
        if (source.kind === 'path') await this.queues.put(name, fields);
        else await this.queues.insertIfMissing(name, fields);
      }
      if (declared.length > 0) this.logger.log(`applied ${declared.length} queue(s) from ${path}`);
    }
    await this.queues.insertMissing(await this.actionQueues.names());
  }
}
