import { Injectable } from '@nestjs/common';
import { EntityManager, In, Not } from 'typeorm';
import { DomainError, FieldError } from '../common/errors/domain-error';
import { ContractEntity } from '../contracts/contract.entity';
import { Database } from '../database/database.service';
import { ActionEntity } from './action.entity';
import { CatalogueCache } from './catalogue-cache';
import { ActionView, toActionView } from './action-view';
import { ActionDto, NamedActionDto } from './dto/action.dto';
import { validateDeclarations, VariableDeclaration } from './variables';

/** Checks every action's variable declarations; one 400 names every bad field of the body. */
export function assertValidDeclarations(actions: { variables?: unknown[] }[], fieldOf: (index: number) => string) {
  const errors: FieldError[] = actions.flatMap((action, index) =>
    action.variables === undefined ? [] : validateDeclarations(action.variables, fieldOf(index)),
  );
  if (errors.length > 0) {
    throw new DomainError('VALIDATION_FAILED', 'One or more variable declarations are invalid.', { errors });
  }
}

function applyAction(target: ActionEntity, dto: ActionDto, now: Date): ActionEntity {
  target.trigger = dto.trigger ?? 'ON_DEMAND';
  target.queue = dto.queue ?? 'default';
  target.workflowTemplate = {
    id: dto.workflowTemplate.id,
    name: dto.workflowTemplate.name,
    revision: dto.workflowTemplate.revision,
    description: dto.workflowTemplate.description ?? '',
  };
  target.variables = (dto.variables ?? []) as VariableDeclaration[];
  target.allowedRoles = [...new Set(dto.allowedRoles ?? [])];
  target.maxAttempts = dto.maxAttempts ?? 3;
  target.timeoutSeconds = dto.timeoutSeconds ?? null;
  target.priority = dto.priority ?? 0;
  target.enabled = dto.enabled ?? true;
  target.updatedAt = now;
  return target;
}

/** How long another instance's catalogue change may take to reach submissions here. */
export const CATALOGUE_CACHE_TTL_MS = 5000;

type SubmissionTarget = { contract: ContractEntity; action: ActionEntity };

@Injectable()
export class ActionsService {
  private readonly submissionTargets = new CatalogueCache<SubmissionTarget>(CATALOGUE_CACHE_TTL_MS);

  constructor(private readonly database: Database) {}

  /** Called after every committed catalogue write of this process. */
  catalogueChanged(): void {
    this.submissionTargets.invalidate();
  }

  async list(contractName: string): Promise<ActionView[]> {
    const contract = await this.requireContract(this.database.dataSource.manager, contractName);
    const actions = await this.database.dataSource.manager.find(ActionEntity, {
      where: { contractId: contract.id },
      order: { name: 'ASC' },
    });
    return actions.map(toActionView);
  }

  async get(contractName: string, actionName: string): Promise<ActionView> {
    const manager = this.database.dataSource.manager;
    const contract = await this.requireContract(manager, contractName);
    return toActionView(await this.requireAction(manager, contract, actionName));
  }

  async put(contractName: string, actionName: string, dto: ActionDto): Promise<{ created: boolean; action: ActionView }> {
    assertValidDeclarations([dto], () => 'variables');
    const result = await this.database.transaction(async (manager) => {
      const contract = await this.requireContract(manager, contractName);
      const [upserted] = await this.upsert(manager, contract, [{ ...dto, name: actionName }]);
      return upserted;
    });
    this.catalogueChanged();
    return result;
  }

  async delete(contractName: string, actionName: string): Promise<void> {
    await this.database.transaction(async (manager) => {
      const contract = await this.requireContract(manager, contractName);
      const action = await this.requireAction(manager, contract, actionName);
      await manager.delete(ActionEntity, { id: action.id });
    });
    this.catalogueChanged();
  }

  /**
   * The contract and action a submission names, checked in the order API.md gives: unknown → 404,
   * disabled → 422. Role checks are the caller's (they depend on the principal).
   */
  async findForSubmission(contractName: string, actionName: string): Promise<SubmissionTarget> {
    const manager = this.database.dataSource.manager;
    // The hot path: the catalogue changes rarely, submissions come by the thousand.
    const found = await this.submissionTargets.get(JSON.stringify([contractName, actionName]), async () => {
      const action = await manager
        .createQueryBuilder(ActionEntity, 'action')
        .innerJoinAndSelect('action.contract', 'contract')
        .where('contract.name = :contractName AND action.name = :actionName', { contractName, actionName })
        .getOne();
      return action?.contract ? { contract: action.contract, action } : undefined;
    });
    // The two lookups only run to name what is missing.
    const contract = found?.contract ?? (await this.requireContract(manager, contractName));
    const action = found?.action ?? (await this.requireAction(manager, contract, actionName));
    if (!contract.enabled) throw new DomainError('CONTRACT_DISABLED', `The contract "${contractName}" is disabled.`);
    if (!action.enabled) throw new DomainError('ACTION_DISABLED', `The action "${actionName}" of "${contractName}" is disabled.`);
    return { contract, action };
  }

  /** Upserts the given actions of a contract inside the caller's transaction. */
  async upsert(
    manager: EntityManager,
    contract: ContractEntity,
    dtos: NamedActionDto[],
  ): Promise<{ created: boolean; action: ActionView }[]> {
    const now = new Date();
    const existing = await manager.find(ActionEntity, {
      where: { contractId: contract.id, name: In(dtos.map((dto) => dto.name)) },
    });
    const results: { created: boolean; action: ActionView }[] = [];
    for (const dto of dtos) {
      const current = existing.find((action) => action.name === dto.name);
      if (current) {
        applyAction(current, dto, now);
        await manager.save(ActionEntity, current);
        results.push({ created: false, action: toActionView(current) });
      } else {
        const created = applyAction(manager.create(ActionEntity, { contractId: contract.id, name: dto.name, createdAt: now }), dto, now);
        await manager.save(ActionEntity, created);
        results.push({ created: true, action: toActionView(created) });
      }
    }
    return results;
  }

  /** Deletes the contract's actions not named in `keep` (the whole-set replace of a contract PUT). */
  async deleteOthers(manager: EntityManager, contract: ContractEntity, keep: string[]): Promise<void> {
    await manager.delete(ActionEntity, keep.length ? { contractId: contract.id, name: Not(In(keep)) } : { contractId: contract.id });
  }

  private async requireContract(manager: EntityManager, name: string): Promise<ContractEntity> {
    const contract = await manager.findOneBy(ContractEntity, { name });
    if (!contract) throw new DomainError('CONTRACT_NOT_FOUND', `No contract named "${name}".`);
    return contract;
  }

  private async requireAction(manager: EntityManager, contract: ContractEntity, name: string): Promise<ActionEntity> {
    const action = await manager.findOneBy(ActionEntity, { contractId: contract.id, name });
    if (!action) throw new DomainError('ACTION_NOT_FOUND', `Contract "${contract.name}" has no action named "${name}".`);
    return action;
  }
}
