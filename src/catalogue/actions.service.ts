import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/errors/domain-error';
import { assertValidDeclarations, toActionFields } from './action-fields';
import type { ActionEntity } from './action.entity';
import { toActionView } from './action-view';
import { CatalogueRepository } from './catalogue.repository';
import { contractNotFound, requireFound } from './catalogue-errors';
import type { ContractEntity } from './contract.entity';
import { ActionResponseDto } from './dto/action-response.dto';
import { ActionDto } from './dto/action.dto';
import { PutResult } from './put-result';

export interface SubmissionTarget {
  contract: ContractEntity;
  action: ActionEntity;
}

@Injectable()
export class ActionsService {
  constructor(private readonly catalogue: CatalogueRepository) {}

  async list(contractName: string): Promise<ActionResponseDto[]> {
    const actions = await this.catalogue.findActions(contractName);
    if (!actions) throw contractNotFound(contractName);
    return actions.map(toActionView);
  }

  async get(contractName: string, actionName: string): Promise<ActionResponseDto> {
    const { action } = requireFound(await this.catalogue.findAction(contractName, actionName), contractName, actionName);
    return toActionView(action);
  }

  async put(contractName: string, actionName: string, dto: ActionDto): Promise<PutResult<ActionResponseDto>> {
    assertValidDeclarations([dto], () => 'variables');
    const result = await this.catalogue.putAction(contractName, actionName, toActionFields(dto));
    if (!result) throw contractNotFound(contractName);
    return { created: result.created, resource: toActionView(result.resource) };
  }

  async delete(contractName: string, actionName: string): Promise<void> {
    requireFound(await this.catalogue.deleteAction(contractName, actionName), contractName, actionName);
  }

  /** Unknown contract or action → 404, disabled → 422, in the order docs/api.md gives; roles are the caller's check. */
  async findForSubmission(contractName: string, actionName: string): Promise<SubmissionTarget> {
    const found = await this.catalogue.findSubmissionTarget(contractName, actionName);
    const { contract, action } = requireFound(found, contractName, actionName);
    if (!contract.enabled) throw new DomainError('CONTRACT_DISABLED', `The contract "${contractName}" is disabled.`);
    if (!action.enabled) throw new DomainError('ACTION_DISABLED', `The action "${actionName}" of "${contractName}" is disabled.`);
    return { contract, action };
  }
}
