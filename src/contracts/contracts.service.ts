import { Injectable } from '@nestjs/common';
import { EntityManager, FindOptionsWhere, In, MoreThan } from 'typeorm';
import { ActionEntity } from '../actions/action.entity';
import { ActionView, toActionView } from '../actions/action-view';
import { ActionsService, assertValidDeclarations } from '../actions/actions.service';
import { DomainError } from '../common/errors/domain-error';
import { CursorCodec } from '../common/paging/cursor-codec';
import { Database } from '../database/database.service';
import { isUniqueViolation } from '../database/database-errors';
import { ContractEntity, ContractType } from './contract.entity';
import { ContractDto } from './dto/contract.dto';

export interface ContractView {
  name: string;
  type: ContractType;
  actor: string;
  description: string | null;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
  actions: ActionView[];
}

export interface ContractFilter {
  type?: ContractType;
  actor?: string;
  enabled?: boolean;
}

const isAfterCursor = (value: unknown): value is { after: string } =>
  typeof value === 'object' && value !== null && typeof (value as { after?: unknown }).after === 'string';

function toContractView(contract: ContractEntity, actions: ActionEntity[]): ContractView {
  return {
    name: contract.name,
    type: contract.type,
    actor: contract.actor,
    description: contract.description,
    enabled: contract.enabled,
    createdAt: contract.createdAt.toISOString(),
    updatedAt: contract.updatedAt.toISOString(),
    actions: actions.map(toActionView),
  };
}

@Injectable()
export class ContractsService {
  constructor(
    private readonly database: Database,
    private readonly actions: ActionsService,
    private readonly cursors: CursorCodec,
  ) {}

  /** Keyset-paged by name: `cursor` carries the last name of the previous page. */
  async list(filter: ContractFilter, maxItems: number, cursor?: string): Promise<{ contracts: ContractView[]; cursor?: string }> {
    const where: FindOptionsWhere<ContractEntity> = {};
    if (filter.type) where.type = filter.type;
    if (filter.actor !== undefined) where.actor = filter.actor;
    if (filter.enabled !== undefined) where.enabled = filter.enabled;
    if (cursor) where.name = MoreThan(this.cursors.decode(cursor, isAfterCursor).after);
    const manager = this.database.dataSource.manager;
    const page = await manager.find(ContractEntity, { where, order: { name: 'ASC' }, take: maxItems + 1 });
    const hasMore = page.length > maxItems;
    const contracts = page.slice(0, maxItems);
    const views = await this.withActions(manager, contracts);
    return {
      contracts: views,
      ...(hasMore ? { cursor: this.cursors.encode({ after: contracts[contracts.length - 1].name }) } : {}),
    };
  }

  async get(name: string): Promise<ContractView> {
    const manager = this.database.dataSource.manager;
    const contract = await manager.findOneBy(ContractEntity, { name });
    if (!contract) throw new DomainError('CONTRACT_NOT_FOUND', `No contract named "${name}".`);
    return (await this.withActions(manager, [contract]))[0];
  }

  /**
   * Creates or replaces a contract. With `actions` in the body, the contract's action set becomes
   * exactly that list; without, its actions are left as they are.
   */
  async put(name: string, dto: ContractDto): Promise<{ created: boolean; contract: ContractView }> {
    if (dto.actions) {
      assertValidDeclarations(dto.actions, (index) => `actions[${index}].variables`);
      const names = dto.actions.map((action) => action.name);
      const duplicate = names.find((candidate, index) => names.indexOf(candidate) !== index);
      if (duplicate) {
        throw new DomainError('VALIDATION_FAILED', 'Action names must be unique within a contract.', {
          errors: [{ field: 'actions', message: `the action "${duplicate}" is listed twice` }],
        });
      }
    }
    try {
      return await this.database.transaction((manager) => this.upsert(manager, name, dto));
    } catch (error) {
      // Two first PUTs of the same name raced and this one lost the insert: it is now an update.
      if (!isUniqueViolation(error)) throw error;
      return await this.database.transaction((manager) => this.upsert(manager, name, dto));
    } finally {
      this.actions.catalogueChanged();
    }
  }

  async delete(name: string): Promise<void> {
    const result = await this.database.write((manager) => manager.delete(ContractEntity, { name }));
    this.actions.catalogueChanged();
    if (!result.affected) throw new DomainError('CONTRACT_NOT_FOUND', `No contract named "${name}".`);
  }

  count(): Promise<number> {
    return this.database.dataSource.manager.count(ContractEntity);
  }

  private async upsert(manager: EntityManager, name: string, dto: ContractDto) {
    const now = new Date();
    let contract = await manager.findOneBy(ContractEntity, { name });
    const created = !contract;
    const fields = { type: dto.type, actor: dto.actor, description: dto.description ?? null, enabled: dto.enabled ?? true, updatedAt: now };
    if (contract) {
      Object.assign(contract, fields);
      await manager.update(ContractEntity, { id: contract.id }, fields);
    } else {
      contract = manager.create(ContractEntity, { name, createdAt: now, ...fields });
      await manager.insert(ContractEntity, contract);
    }
    if (dto.actions) {
      await this.actions.deleteOthers(manager, contract, dto.actions.map((action) => action.name));
      await this.actions.upsert(manager, contract, dto.actions);
    }
    return { created, contract: (await this.withActions(manager, [contract]))[0] };
  }

  private async withActions(manager: EntityManager, contracts: ContractEntity[]): Promise<ContractView[]> {
    if (contracts.length === 0) return [];
    const actions = await manager.find(ActionEntity, {
      where: { contractId: In(contracts.map((contract) => contract.id)) },
      order: { name: 'ASC' },
    });
    return contracts.map((contract) =>
      toContractView(
        contract,
        actions.filter((action) => action.contractId === contract.id),
      ),
    );
  }
}
