import { DomainError, FieldError } from '../common/errors/domain-error';
import type { ActionEntity } from './action.entity';
import type { ActionDto } from './dto/action.dto';
import { validateDeclarations, VariableDeclaration } from './variables';

/** The columns an action body sets; the whole action is replaced, so omitted fields take their defaults. */
export type ActionFields = Pick<
  ActionEntity,
  'trigger' | 'queue' | 'workflowTemplate' | 'variables' | 'allowedRoles' | 'maxAttempts' | 'timeoutSeconds' | 'priority' | 'enabled'
>;

export type NamedActionFields = ActionFields & { name: string };

export function toActionFields(dto: ActionDto): ActionFields {
  return {
    trigger: dto.trigger ?? 'ON_DEMAND',
    queue: dto.queue ?? 'default',
    workflowTemplate: {
      id: dto.workflowTemplate.id,
      name: dto.workflowTemplate.name,
      revision: dto.workflowTemplate.revision,
      description: dto.workflowTemplate.description ?? '',
    },
    variables: (dto.variables ?? []) as VariableDeclaration[],
    allowedRoles: [...new Set(dto.allowedRoles ?? [])],
    maxAttempts: dto.maxAttempts ?? 3,
    timeoutSeconds: dto.timeoutSeconds ?? null,
    priority: dto.priority ?? 0,
    enabled: dto.enabled ?? true,
  };
}

/** Checks every action's variable declarations; one 400 names every bad field of the body. */
export function assertValidDeclarations(actions: { variables?: unknown[] }[], fieldOf: (index: number) => string) {
  const errors: FieldError[] = actions.flatMap((action, index) =>
    action.variables === undefined ? [] : validateDeclarations(action.variables, fieldOf(index)),
  );
  if (errors.length > 0) {
    throw new DomainError('VALIDATION_FAILED', 'One or more variable declarations are invalid.', { errors });
  }
}
