import { ApiParam } from '@nestjs/swagger';
import { RESOURCE_NAME_PATTERN } from '../common/validation/names';

// Names are exact and case-sensitive; a name outside the pattern can never have been stored.
const nameSchema = { type: 'string', pattern: RESOURCE_NAME_PATTERN.source } as const;

export const ContractParam = () => ApiParam({ name: 'contract', description: 'The contract name', schema: nameSchema, example: 'acme-orders' });
export const ActionParam = () => ApiParam({ name: 'action', description: 'The action name', schema: nameSchema, example: 'import' });
