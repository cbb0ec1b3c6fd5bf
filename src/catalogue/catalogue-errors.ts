import { DomainError } from '../common/errors/domain-error';
import type { ActionEntity } from './action.entity';
import type { CatalogueLookup } from './catalogue.repository';
import type { ContractEntity } from './contract.entity';

export const contractNotFound = (name: string) => new DomainError('CONTRACT_NOT_FOUND', `No contract named "${name}".`);

/** The contract and action a lookup found, or the 404 naming the first one missing. */
export function requireFound(found: CatalogueLookup, contractName: string, actionName: string): { contract: ContractEntity; action: ActionEntity } {
  if (!found.contract) throw contractNotFound(contractName);
  if (!found.action) throw new DomainError('ACTION_NOT_FOUND', `Contract "${found.contract.name}" has no action named "${actionName}".`);
  return { contract: found.contract, action: found.action };
}
