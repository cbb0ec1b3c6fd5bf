export { CatalogueModule } from './catalogue.module';
export { ActionsService } from './actions.service';
export type { SubmissionTarget } from './actions.service';
export { TRIGGERS } from './action.entity';
export type { ActionEntity, ActionTrigger, WorkflowTemplate } from './action.entity';
export { CONTRACT_TYPES } from './contract.entity';
export type { ContractEntity, ContractType } from './contract.entity';
export { validateVariables } from './variables';
export type { ValidateVariablesResult, VariableDeclaration } from './variables';
