import type { ActionResponseDto } from './action-response.dto';
import type { ActionDto } from './action.dto';
import type { ContractDto } from './contract.dto';
import type { ContractListResponseDto, ContractResponseDto } from './contract-response.dto';
import type { VariableDeclarationDto } from './variable-declaration.dto';

// Typed as the DTOs, so an example cannot drift from its schema unnoticed.

const TEMPLATE = { id: '7', name: 'import-orders', revision: '3', description: 'Imports the orders of one day' };
const VARIABLES: VariableDeclarationDto[] = [
  { name: 'date', type: 'string', required: true, pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
  { name: 'source', type: 'string', enum: ['sftp', 'api'], default: 'sftp' },
  { name: 'maxOrders', type: 'integer', minimum: 1, maximum: 100000, default: 10000 },
];
const SETTINGS = { trigger: 'ON_DEMAND' as const, queue: 'imports', maxAttempts: 3, timeoutSeconds: 900, priority: 0, enabled: true, onMismatch: 'REPLAY' as const };

export const ACTION_BODY_EXAMPLE: ActionDto = { ...SETTINGS, allowedRoles: [], workflowTemplate: TEMPLATE, variables: VARIABLES };

export const CONTRACT_BODY_EXAMPLE: ContractDto = {
  type: 'INPUT',
  actor: 'ACME',
  description: "Orders received from ACME's ERP",
  enabled: true,
  actions: [{ name: 'import', ...ACTION_BODY_EXAMPLE }],
};

const STORED = { createdAt: '2026-11-23T10:15:30.123Z', updatedAt: '2026-11-23T10:15:30.123Z' };

export const ACTION_EXAMPLE: ActionResponseDto = {
  name: 'import',
  ...SETTINGS,
  allowedRoles: [],
  workflowTemplate: TEMPLATE,
  variables: VARIABLES,
  ...STORED,
};

export const CONTRACT_EXAMPLE: ContractResponseDto = {
  name: 'acme-orders',
  type: 'INPUT',
  actor: 'ACME',
  description: "Orders received from ACME's ERP",
  enabled: true,
  ...STORED,
  actions: [ACTION_EXAMPLE],
};

export const CONTRACT_LIST_EXAMPLE: ContractListResponseDto = {
  contracts: [CONTRACT_EXAMPLE],
  next: '/ghibli-rest/v2/contracts?maxItems=1&cursor=eyJhZnRlciI6ImFjbWUtb3JkZXJzIn0.c2lnbmF0dXJlLWJ5dGVz',
};
