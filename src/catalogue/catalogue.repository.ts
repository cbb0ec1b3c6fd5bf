import { Injectable } from '@nestjs/common';
import { EntityManager, FindOptionsWhere, In, MoreThan, Not } from 'typeorm';
import { Database } from '../database/database.service';
import { isUniqueViolation } from '../database/database-errors';
import type { ActionFields, NamedActionFields } from './action-fields';
import { ActionEntity } from './action.entity';
import { withSince } from './action-schedule';
import { CatalogueCache } from './catalogue-cache';
import { ContractEntity, ContractType } from './contract.entity';
import type { PutResult } from './put-result';

/** How long another instance's catalogue change may take to reach submissions here. */
export const CATALOGUE_CACHE_TTL_MS = 5000;

export type ContractFields = Pick<ContractEntity, 'type' | 'actor' | 'description' | 'enabled'>;

export interface ContractFilter {
  type?: ContractType;
  actor?: string;
  enabled?: boolean;
  afterName?: string;
}

export interface ContractWithActions {
  contract: ContractEntity;
  actions: ActionEntity[];
}

export interface CatalogueLookup {
  contract: ContractEntity | null;
  action: ActionEntity | null;
}

/** Every query of contracts and actions; each write empties the submission cache, so this instance sees it at once. */
@Injectable()
export class CatalogueRepository {
  private readonly submissionTargets = new CatalogueCache<CatalogueLookup>(CATALOGUE_CACHE_TTL_MS);

  constructor(private readonly database: Database) {}

  /** Keyset paging: one row more than asked says whether another page follows. */
  listContracts(filter: ContractFilter, maxItems: number): Promise<{ page: ContractWithActions[]; hasMore: boolean }> {
    const where: FindOptionsWhere<ContractEntity> = {};
    if (filter.type) where.type = filter.type;
    if (filter.actor !== undefined) where.actor = filter.actor;
    if (filter.enabled !== undefined) where.enabled = filter.enabled;
    if (filter.afterName !== undefined) where.name = MoreThan(filter.afterName);
    return this.database.read(async (manager) => {
      const contracts = await manager.find(ContractEntity, { where, order: { name: 'ASC' }, take: maxItems + 1 });
      return { page: await this.withActions(manager, contracts.slice(0, maxItems)), hasMore: contracts.length > maxItems };
    });
  }

  findContract(name: string): Promise<ContractWithActions | undefined> {
    return this.database.read(async (manager) => {
      const contract = await manager.findOneBy(ContractEntity, { name });
      return contract ? (await this.withActions(manager, [contract]))[0] : undefined;
    });
  }

  countContracts(): Promise<number> {
    return this.database.read((manager) => manager.count(ContractEntity));
  }

  findActions(contractName: string): Promise<ActionEntity[] | undefined> {
    return this.database.read(async (manager) => {
      const contract = await manager.findOneBy(ContractEntity, { name: contractName });
      return contract ? manager.find(ActionEntity, { where: { contractId: contract.id }, order: { name: 'ASC' } }) : undefined;
    });
  }

  findAction(contractName: string, actionName: string): Promise<CatalogueLookup> {
    return this.database.read((manager) => this.lookup(manager, contractName, actionName));
  }

  /** The hot path of job submission, cached because the catalogue changes rarely (docs/contracts.md). */
  async findSubmissionTarget(contractName: string, actionName: string): Promise<CatalogueLookup> {
    const found = await this.submissionTargets.get(JSON.stringify([contractName, actionName]), () =>
      this.database.read(async (manager) => {
        const action = await manager
          .createQueryBuilder(ActionEntity, 'action')
          .innerJoinAndSelect('action.contract', 'contract')
          .where('contract.name = :contractName AND action.name = :actionName', { contractName, actionName })
          .getOne();
        return action?.contract ? { contract: action.contract, action } : undefined;
      }),
    );
    return found ?? this.findAction(contractName, actionName);
  }

  async putContract(
    name: string,
    fields: ContractFields,
    actions?: NamedActionFields[],
  ): Promise<PutResult<ContractWithActions>> {
    const put = () => this.database.transaction((manager) => this.upsertContract(manager, name, fields, actions));
    try {
      return await put();
    } catch (error) {
      // Two first PUTs of the same name raced and this one lost the insert: it is now an update.
      if (!isUniqueViolation(error)) throw error;
      return await put();
    } finally {
      this.submissionTargets.invalidate();
    }
  }

  /** False when there was no such contract; its actions go with it (ON DELETE CASCADE). */
  async deleteContract(name: string): Promise<boolean> {
    try {
      const result = await this.database.write((manager) => manager.delete(ContractEntity, { name }));
      return Boolean(result.affected);
    } finally {
      this.submissionTargets.invalidate();
    }
  }

  async putAction(
    contractName: string,
    actionName: string,
    fields: ActionFields,
  ): Promise<PutResult<ActionEntity> | undefined> {
    const put = () =>
      this.database.transaction(async (manager) => {
        const contract = await manager.findOneBy(ContractEntity, { name: contractName });
        return contract ? (await this.upsertActions(manager, contract, [{ ...fields, name: actionName }]))[0] : undefined;
      });
    try {
      return await put();
    } catch (error) {
      // As for contracts: the loser of two first PUTs of one action retries as an update.
      if (!isUniqueViolation(error)) throw error;
      return await put();
    } finally {
      this.submissionTargets.invalidate();
    }
  }

  async deleteAction(contractName: string, actionName: string): Promise<CatalogueLookup> {
    try {
      return await this.database.transaction(async (manager) => {
        const found = await this.lookup(manager, contractName, actionName);
        if (found.action) await manager.delete(ActionEntity, { id: found.action.id });
        return found;
      });
    } finally {
      this.submissionTargets.invalidate();
    }
  }

  private async lookup(manager: EntityManager, contractName: string, actionName: string): Promise<CatalogueLookup> {
    const contract = await manager.findOneBy(ContractEntity, { name: contractName });
    const action = contract ? await manager.findOneBy(ActionEntity, { contractId: contract.id, name: actionName }) : null;
    return { contract, action };
  }

  private async upsertContract(
    manager: EntityManager,
    name: string,
    fields: ContractFields,
    actions?: NamedActionFields[],
  ): Promise<PutResult<ContractWithActions>> {
    const now = new Date();
    let contract = await manager.findOneBy(ContractEntity, { name });
    const created = !contract;
    const changes = { ...fields, updatedAt: now };
    if (contract) {
      Object.assign(contract, changes);
      await manager.update(ContractEntity, { id: contract.id }, changes);
    } else {
      contract = manager.create(ContractEntity, { name, createdAt: now, ...changes });
      await manager.insert(ContractEntity, contract);
    }
    if (actions) {
      const keep = actions.map((action) => action.name);
      await manager.delete(ActionEntity, keep.length ? { contractId: contract.id, name: Not(In(keep)) } : { contractId: contract.id });
      await this.upsertActions(manager, contract, actions);
    }
    return { created, resource: (await this.withActions(manager, [contract]))[0] };
  }

  private async upsertActions(
    manager: EntityManager,
    contract: ContractEntity,
    actions: NamedActionFields[],
  ): Promise<PutResult<ActionEntity>[]> {
    const now = new Date();
    const existing = await manager.find(ActionEntity, {
      where: { contractId: contract.id, name: In(actions.map((action) => action.name)) },
    });
    const results: PutResult<ActionEntity>[] = [];
    for (const { name, ...sent } of actions) {
      const current = existing.find((action) => action.name === name);
      const fields = { ...sent, schedule: withSince(sent.schedule, current?.schedule, now) };
      const action = current
        ? Object.assign(current, fields, { updatedAt: now })
        : manager.create(ActionEntity, { contractId: contract.id, name, createdAt: now, ...fields, updatedAt: now });
      await manager.save(ActionEntity, action);
      results.push({ created: !current, resource: action });
    }
    return results;
  }

  private async withActions(manager: EntityManager, contracts: ContractEntity[]): Promise<ContractWithActions[]> {
    if (contracts.length === 0) return [];
    const actions = await manager.find(ActionEntity, {
      where: { contractId: In(contracts.map((contract) => contract.id)) },
      order: { name: 'ASC' },
    });
    return contracts.map((contract) => ({ contract, actions: actions.filter((action) => action.contractId === contract.id) }));
  }
}

/** Read-only: the queues actions name, for queues/, which owns the queues table but may not be imported here (docs/queues.md). */
@Injectable()
export class ActionQueues {
  constructor(private readonly database: Database) {}

  async names(): Promise<string[]> {
    const rows = await this.database.read((manager) =>
      manager.createQueryBuilder(ActionEntity, 'action').select('DISTINCT action.queue', 'queue').getRawMany<{ queue: string }>(),
    );
    return rows.map((row) => row.queue).sort();
  }

  /** Up to `limit` actions naming `queue`, as "contract/action", for an error detail. */
  async naming(queue: string, limit: number): Promise<string[]> {
    const rows = await this.database.read((manager) =>
      manager
        .createQueryBuilder(ActionEntity, 'action')
        .innerJoin('action.contract', 'contract')
        .select('contract.name', 'contract')
        .addSelect('action.name', 'action')
        .where('action.queue = :queue', { queue })
        .orderBy('contract.name', 'ASC')
        .addOrderBy('action.name', 'ASC')
        .limit(limit)
        .getRawMany<{ contract: string; action: string }>(),
    );
    return rows.map((row) => `${row.contract}/${row.action}`);
  }
}
