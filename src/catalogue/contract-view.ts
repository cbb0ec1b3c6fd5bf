import { ActionEntity } from './action.entity';
import { ActionView, toActionView } from './action-view';
import { ContractEntity, ContractType } from './contract.entity';

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

export function toContractView(contract: ContractEntity, actions: ActionEntity[]): ContractView {
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
