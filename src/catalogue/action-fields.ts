import { DomainError, FieldError } from '../common/errors/domain-error';
import type { ActionEntity } from './action.entity';
import { type ActionSchedule, scheduleVariableErrors } from './action-schedule';
import type { ActionDto } from './dto/action.dto';
import { validateDeclarations, VariableDeclaration } from './variables';

/** The columns an action body sets; the whole action is replaced, so omitted fields take their defaults. */
export type ActionFields = Pick<
  ActionEntity,
  'trigger' | 'queue' | 'workflowTemplate' | 'variables' | 'allowedRoles' | 'maxAttempts' | 'timeoutSeconds' | 'priority' | 'enabled' | 'onMismatch'
> & { schedule: Omit<ActionSchedule, 'since'> | null };

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
    onMismatch: dto.onMismatch ?? 'REPLAY',
    schedule:
      dto.trigger === 'TIME' && dto.schedule
        ? {
            cron: dto.schedule.cron,
            timezone: dto.schedule.timezone ?? 'UTC',
            actionVariables: dto.schedule.actionVariables ?? {},
            enabled: dto.schedule.enabled ?? true,
            missedFires: dto.schedule.missedFires ?? 'RUN_LATEST',
          }
        : null,
  };
}

/** A schedule's variables against the action's declarations, once those are valid; `field` names the variables. */
export function scheduleErrors(action: Pick<ActionDto, 'variables' | 'schedule'>, field: string): FieldError[] {
  if (!action.schedule) return [];
  const declarations = (action.variables ?? []) as VariableDeclaration[];
  return scheduleVariableErrors(declarations, action.schedule.actionVariables ?? {}, `${field.replace(/variables$/, '')}schedule.actionVariables`);
}

/** Checks every action's variable declarations, then its schedule's variables; one 400 names every bad field of the body. */
export function assertValidDeclarations(actions: Pick<ActionDto, 'variables' | 'schedule'>[], fieldOf: (index: number) => string) {
  let errors: FieldError[] = actions.flatMap((action, index) =>
    action.variables === undefined ? [] : validateDeclarations(action.variables, fieldOf(index)),
  );
  if (errors.length > 0) {
    throw new DomainError('VALIDATION_FAILED', 'One or more variable declarations are invalid.', { errors });
  }
  errors = actions.flatMap((action, index) => scheduleErrors(action, fieldOf(index)));
  if (errors.length > 0) {
    throw new DomainError('VALIDATION_FAILED', "The schedule's variables do not match the action.", { errors });
  }
}
