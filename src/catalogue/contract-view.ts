import { ActionEntity } from './action.entity';
import { toActionView } from './action-view';
import { ContractEntity } from './contract.entity';
import { ContractResponseDto } from './dto/contract-response.dto';

export function toContractView(contract: ContractEntity, actions: ActionEntity[]): ContractResponseDto {
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
